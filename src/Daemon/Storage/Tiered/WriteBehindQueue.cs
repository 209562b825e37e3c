using System.Collections.Concurrent;
using System.Threading.Channels;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Bounded queue of writes to one remote tier, drained by a few workers; when full it drops and counts, never blocks.</summary>
/// <remarks>
/// A blob job usually carries no bytes (they are read back from the local tier when it runs), so
/// memory is bounded by the job count; jobs that do carry bytes (entries, backfills) share a byte
/// budget. A job already queued or running for the same blob or entry is not queued twice.
/// </remarks>
internal sealed class WriteBehindQueue : IAsyncDisposable
{
    public const long MaxHeldBytes = 64L << 20;
    private const int Workers = 4;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly GuardedRemoteTier _target;
    private readonly RemoteUpload _upload;
    private readonly Channel<WriteBehindJob> _jobs;
    private readonly ConcurrentDictionary<(string, string), byte> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private long _heldBytes;

    public WriteBehindQueue(GuardedRemoteTier target, ICacheTier local, UploadLocalReads localReads, int capacity, ILogger logger)
    {
        _target = target;
        _upload = new RemoteUpload(target, local, localReads, logger);
        _jobs = Channel.CreateBounded<WriteBehindJob>(new BoundedChannelOptions(capacity) { SingleWriter = false, SingleReader = false });
        _workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    /// <summary>Jobs queued or running.</summary>
    public long Pending => _pending.Count;

    /// <summary>Queues a job, or drops it (counted) when the queue or its byte budget is full; the queue owns the job either way.</summary>
    public bool TryEnqueue(WriteBehindJob job)
    {
        if (!_pending.TryAdd(job.Key, 0))
        {
            Interlocked.Increment(ref _target.Counters[TierCounter.DeduplicatedWrites]);
            job.Dispose();
            return false;
        }
        var held = job.HeldBytes;
        if (Interlocked.Add(ref _heldBytes, held) > MaxHeldBytes || !_jobs.Writer.TryWrite(job))
        {
            Interlocked.Add(ref _heldBytes, -held);
            _pending.TryRemove(job.Key, out _);
            Interlocked.Increment(ref _target.Counters[TierCounter.DroppedWrites]);
            job.Dispose();
            return false;
        }
        return true;
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!await _upload.RunAsync(job, _stopping.Token).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref _target.Counters[TierCounter.DroppedWrites]);
                    }
                }
                finally
                {
                    Interlocked.Add(ref _heldBytes, -job.HeldBytes);
                    _pending.TryRemove(job.Key, out _);
                    job.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down after the drain deadline: what is left is dropped, as on a full queue.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        _stopping.CancelAfter(DrainTimeout);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        while (_jobs.Reader.TryRead(out var left))
        {
            left.Dispose();
        }
        _stopping.Dispose();
    }
}
