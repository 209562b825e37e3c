
namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Takes full checkpoints periodically while the log changes, at once after an eviction, and at shutdown.</summary>
internal sealed class CheckpointScheduler : IAsyncDisposable
{
    private readonly FasterRecordStore _store;
    private readonly LogCapacity _capacity;
    private readonly TimeSpan _interval;
    private readonly Func<bool> _directoryLost;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _checkpointedTail;
    private long _checkpointedBegin;
    private long _checkpoints;
    private long _lastCheckpointUnixMs;

    public CheckpointScheduler(FasterRecordStore store, LogCapacity capacity, TimeSpan interval, Func<bool> directoryLost, ILogger logger)
    {
        _directoryLost = directoryLost;
        _store = store;
        _capacity = capacity;
        _interval = interval;
        _logger = logger;
        _checkpointedTail = store.TailAddress;
        _checkpointedBegin = store.BeginAddress;
        capacity.TruncationNeeded += Wake;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How long shutdown waits for the final checkpoint.</summary>
    public static readonly TimeSpan FinalCheckpointLimit = TimeSpan.FromSeconds(20);

    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    public long LastCheckpointUnixMs => Interlocked.Read(ref _lastCheckpointUnixMs);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one pending wake-up covers every caller.
        }
    }

    /// <summary>Checkpoints now if anything changed since the last one.</summary>
    public async Task CheckpointIfChangedAsync(CancellationToken cancellationToken)
    {
        var begin = _store.BeginAddress;
        var tail = _store.TailAddress;
        if ((tail == Interlocked.Read(ref _checkpointedTail) && begin == Interlocked.Read(ref _checkpointedBegin)) || _directoryLost())
        {
            return;
        }
        if (await _store.CheckpointAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _checkpointedTail, tail);
            Interlocked.Exchange(ref _checkpointedBegin, begin);
            Interlocked.Increment(ref _checkpoints);
            Interlocked.Exchange(ref _lastCheckpointUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            _capacity.MarkTruncated(begin);
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_interval, _stop.Token).ConfigureAwait(false);
                // Never cancelled once started: a fold-over checkpoint abandoned mid-flush leaves FASTER's state
                // machine waiting on a flush signal its cancelled waiter already consumed, and the final
                // checkpoint at shutdown then waits forever.
                await CheckpointIfChangedAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed checkpoint only widens what a crash would lose; keep serving and retry later.
                _logger.LogError(e, "checkpoint failed");
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the loop and takes the final checkpoint, waiting at most <see cref="FinalCheckpointLimit"/> for it.</summary>
    public async ValueTask DisposeAsync()
    {
        _capacity.TruncationNeeded -= Wake;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            await CheckpointIfChangedAsync(CancellationToken.None).WaitAsync(FinalCheckpointLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A daemon that never stops is worse for its users than records written since the last checkpoint,
            // which after a restart are only misses.
            _logger.LogError("the final checkpoint did not finish within {Seconds} s; stopping without it", FinalCheckpointLimit.TotalSeconds);
        }
        _stop.Dispose();
        _wake.Dispose();
    }
}
