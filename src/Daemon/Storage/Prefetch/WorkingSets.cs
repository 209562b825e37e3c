using System.Collections.Concurrent;
using CacheFarm.Protos.V1;
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
    private readonly ILogger<WorkingSets> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Namespace, string Name), WorkingSet> _sets = new();
    // Entries prefetched, or being prefetched, that no lookup has taken yet; a lookup takes its own from here.
    private readonly ConcurrentDictionary<(string Namespace, string Key), Task<PrefetchedEntry?>> _prefetched = new();
    private readonly CancellationTokenSource _stopping = new();

    public WorkingSets(ICacheStore store, WorkingSetOptions options, PrefetchCounters counters, ILogger<WorkingSets> logger, TimeProvider time)
    {
        _store = store;
        _options = options;
        _counters = counters;
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
        // What was just stored replaces any copy a prefetch brought: a later lookup must read the store.
        _prefetched.TryRemove((ns.Name, keyHex), out _);
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

    /// <summary>The entry a prefetch brought (waiting for it while it is on its way), or null when none did: the lookup then asks the store.</summary>
    public async ValueTask<Entry?> TakePrefetchedAsync(NamespaceId ns, string keyHex, CancellationToken cancellationToken)
    {
        if (_prefetched.IsEmpty || !_prefetched.TryRemove((ns.Name, keyHex), out var fetching))
        {
            return null;
        }
        var prefetched = await fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (prefetched is { Entry: { } entry, WasLocal: false })
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.Used]);
            return entry;
        }
        return prefetched?.Entry;
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
            if ((final || quiet >= Timestamps(_options.RecordAfterQuiet)) && set.TakeRecord(_options.MaxKeys) is { } keys)
            {
                await WriteRecordAsync(set, keys, cancellationToken).ConfigureAwait(false);
            }
            else if (quiet >= Timestamps(Forget))
            {
                _sets.TryRemove(id, out _);
            }
        }
    }

    private async Task WriteRecordAsync(WorkingSet set, List<byte[]> keys, CancellationToken cancellationToken)
    {
        try
        {
            var record = WorkingSetRecord.ToEntry(keys, _time.GetUtcNow().ToUnixTimeMilliseconds());
            await _store.PutEntryAsync(set.Namespace, set.RecordKey, record.ToByteArray(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _counters[PrefetchCounter.RecordsWritten]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next build of this working set only goes without a prefetch.
            _logger.LogWarning("could not record working set {Name}: {Error}", set.Name, e.Message);
        }
    }

    private void Start(WorkingSet set)
    {
        var prefetch = new WorkingSetPrefetch(_stopping.Token);
        if (set.ReplacePrefetch(prefetch) is { } previous)
        {
            _ = EndAsync(previous);
        }
        prefetch.Run = Task.Run(() => RunAsync(set, prefetch));
    }

    /// <summary>Stops a prefetch and, once it has stopped, counts what it brought that no lookup took.</summary>
    private async Task EndAsync(WorkingSetPrefetch prefetch)
    {
        if (!prefetch.Run.IsCompleted)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.StoppedBuildEnded]);
        }
        prefetch.Stop();
        await prefetch.Run.ConfigureAwait(false);
        while (prefetch.Fetched.TryDequeue(out var id))
        {
            if (_prefetched.TryRemove(id, out _))
            {
                Interlocked.Increment(ref _counters[PrefetchCounter.Wasted]);
            }
        }
        prefetch.Dispose();
    }

    private async Task RunAsync(WorkingSet set, WorkingSetPrefetch prefetch)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(prefetch.Token);
        try
        {
            var record = await _store.GetEntryAsync(set.Namespace, set.RecordKey, prefetch.Token).ConfigureAwait(false);
            if (record is null || WorkingSetRecord.TryParse(record, _options.MaxKeys) is not { } keys)
            {
                return;
            }
            Interlocked.Increment(ref _counters[PrefetchCounter.Started]);
            _logger.LogInformation("prefetching {Count} entries of working set {Name}", keys.Count, set.Name);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = budget.Token };
            await Parallel.ForEachAsync(keys, parallel, async (key, ct) =>
            {
                if (Interlocked.Read(ref prefetch.Bytes) >= _options.ByteBudget)
                {
                    await budget.CancelAsync().ConfigureAwait(false);
                    return;
                }
                await PrefetchAsync(set, prefetch, key, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !prefetch.Token.IsCancellationRequested)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.StoppedBudget]);
        }
        catch (OperationCanceledException)
        {
            // The build ended or the daemon is stopping.
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.Failures]);
            _logger.LogWarning("prefetch of working set {Name} stopped: {Error}", set.Name, e.Message);
        }
    }

    private async Task PrefetchAsync(WorkingSet set, WorkingSetPrefetch prefetch, byte[] key, CancellationToken cancellationToken)
    {
        var keyHex = Convert.ToHexStringLower(key);
        if (set.HasSeen(keyHex))
        {
            return;
        }
        var id = (set.Namespace.Name, keyHex);
        var fetching = new TaskCompletionSource<PrefetchedEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_prefetched.TryAdd(id, fetching.Task))
        {
            return;
        }
        PrefetchedEntry? result = null;
        try
        {
            result = await _store.PrefetchEntryAsync(set.Namespace, key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            fetching.SetResult(result);
            if (result is not { Entry: not null, WasLocal: false })
            {
                // Nothing a lookup needs to take from here: it finds a local entry, or none, the usual way.
                _prefetched.TryRemove(new KeyValuePair<(string, string), Task<PrefetchedEntry?>>(id, fetching.Task));
            }
        }
        if (result.WasLocal)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.AlreadyLocal]);
        }
        else if (result.Entry is null)
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.Missing]);
        }
        else
        {
            Interlocked.Increment(ref _counters[PrefetchCounter.Entries]);
            Interlocked.Add(ref _counters[PrefetchCounter.Blobs], result.Fetched.Blobs);
            Interlocked.Add(ref _counters[PrefetchCounter.Bytes], result.Fetched.Bytes);
            Interlocked.Add(ref prefetch.Bytes, result.Fetched.Bytes);
            prefetch.Fetched.Enqueue(id);
        }
    }

    private long Timestamps(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
