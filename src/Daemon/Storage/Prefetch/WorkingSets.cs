using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>Records which entries each working set's builds look up, and prefetches them into the local tier when its next build starts.</summary>
/// <remarks>
/// A working set names a build by workspace, target, profile and toolchain; clients send it with each lookup.
/// Its record (<see cref="WorkingSetRecord"/>) is written when the build goes quiet and travels through the tiers
/// like any entry, so a fresh runner's daemon reads what earlier runners recorded. A prefetch changes only where
/// a lookup finds its entry, never what it finds: every entry is still asked for by its exact key.
/// </remarks>
public sealed class WorkingSets : BackgroundService
{
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(500);

    // A working set unused this long is forgotten (after its record was written), so the table stays bounded.
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    private readonly ICacheStore _store;
    private readonly WorkingSetOptions _options;
    private readonly PrefetchCounters _counters;
    private readonly PrefetchedEntries _prefetched;
    private readonly WorkingSetPrefetcher _prefetcher;
    private readonly ILogger<WorkingSets> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Namespace, string Name), WorkingSet> _sets = new();
    // Prefetches not ended yet, so that stopping waits for every one before the store goes away.
    private readonly ConcurrentDictionary<WorkingSetPrefetch, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _recordFailing;

    public WorkingSets(ICacheStore store, WorkingSetOptions options, PrefetchCounters counters, PrefetchedEntries prefetched, ILogger<WorkingSets> logger, TimeProvider time)
    {
        _store = store;
        _options = options;
        _counters = counters;
        _prefetched = prefetched;
        _prefetcher = new WorkingSetPrefetcher(store, prefetched, options, counters, logger);
        _logger = logger;
        _time = time;
    }

    /// <summary>Notes that a build of working set <paramref name="name"/> looked up a key; the first lookup of a build starts its prefetch.</summary>
    public void NoteLookup(NamespaceId ns, string name, byte[] key, string keyHex)
    {
        if (Find(ns, name) is { } set
            && set.Note(keyHex, key, _time.GetTimestamp(), Timestamps(_options.BuildEndsAfterQuiet), _options.MaxKeys) && _store.HasReadableRemote)
        {
            Start(set);
        }
    }

    /// <summary>Notes that a build of working set <paramref name="name"/> stored an entry: the next build will look it up.</summary>
    /// <remarks>A cold build only ever looks up first-level keys; without its stores, its record would miss every entry it made.</remarks>
    public void NoteStored(NamespaceId ns, string name, byte[] key)
    {
        var keyHex = Convert.ToHexStringLower(key);
        _prefetched.Forget(ns, keyHex);
        Find(ns, name)?.Note(keyHex, key, _time.GetTimestamp(), Timestamps(_options.BuildEndsAfterQuiet), _options.MaxKeys);
    }

    private WorkingSet? Find(NamespaceId ns, string name)
    {
        if (name.Length is 0 or > WorkingSetRecord.MaxNameLength || _stopping.IsCancellationRequested)
        {
            return null;
        }
        if (_sets.TryGetValue((ns.Name, name), out var set))
        {
            return set;
        }
        return _sets.Count >= _options.MaxSets ? null : _sets.GetOrAdd((ns.Name, name), static (id, ns) => new WorkingSet(ns, id.Name), ns);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Sweep, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepAsync(final: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last records are written in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // An ephemeral runner's daemon is stopped right after its build: what that build looked up is recorded now,
        // while the write-behind queues still run.
        await SweepAsync(final: true, cancellationToken).ConfigureAwait(false);
        // Cancelled with the daemon, every prefetch ends soon; none may still be reading the store once it is disposed.
        await Task.WhenAll(_running.Keys.Select(p => p.Run)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    /// <summary>Ends the prefetches of builds gone quiet and writes the records of working sets with keys not recorded yet.</summary>
    private async Task SweepAsync(bool final, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        foreach (var (id, set) in _sets)
        {
            var quiet = now - set.LastLookup;
            if ((final || quiet >= Timestamps(_options.BuildEndsAfterQuiet)) && set.ReplacePrefetch(null) is { } ended)
            {
                _ = EndAsync(ended);
            }
            if ((final || quiet >= Timestamps(_options.RecordAfterQuiet)) && set.TakeRecord(_options.MaxKeys) is { } record)
            {
                await WriteRecordAsync(set, record, cancellationToken).ConfigureAwait(false);
            }
            else if (quiet >= Timestamps(Forget))
            {
                _sets.TryRemove(id, out _);
            }
        }
    }

    private async Task WriteRecordAsync(WorkingSet set, PendingRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var entry = WorkingSetRecord.ToEntry(record.Keys, _time.GetUtcNow().ToUnixTimeMilliseconds());
            await _store.PutEntryAsync(set.Namespace, set.RecordKey, entry.ToByteArray(), cancellationToken).ConfigureAwait(false);
            set.MarkRecorded(record);
            Interlocked.Increment(ref _counters[PrefetchCounter.RecordsWritten]);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not marked recorded: the next sweep tries again, every 500 ms, so only the first failure in a row is a warning.
            var level = Interlocked.Exchange(ref _recordFailing, 1) == 0 ? LogLevel.Warning : LogLevel.Debug;
            _logger.Log(level, "could not record working set {Name}: {Error}", set.Name, e.Message);
            return;
        }
        Interlocked.Exchange(ref _recordFailing, 0);
    }

    private void Start(WorkingSet set)
    {
        var prefetch = new WorkingSetPrefetch(p => _prefetcher.RunAsync(set, p), _stopping.Token);
        _running[prefetch] = 0;
        if (set.ReplacePrefetch(prefetch) is { } previous)
        {
            _ = EndAsync(previous);
        }
    }

    /// <summary>Stops a prefetch and, once it has stopped, counts what it brought that no lookup took.</summary>
    private async Task EndAsync(WorkingSetPrefetch prefetch)
    {
        if (!prefetch.Run.IsCompleted && !_stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.StoppedBuildEnded]);
        }
        prefetch.Stop();
        await prefetch.Run.ConfigureAwait(false);
        while (prefetch.Fetched.TryDequeue(out var fetched))
        {
            if (_prefetched.Discard(fetched.Id, fetched.Fetching))
            {
                Interlocked.Increment(ref _counters[PrefetchCounter.Wasted]);
            }
        }
        _running.TryRemove(prefetch, out _);
        prefetch.Dispose();
    }

    private long Timestamps(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
