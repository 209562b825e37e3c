using System.Buffers;
using System.Threading.Channels;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Copies verified remote hits into the local tier in the background, bounded in jobs and bytes; when full it drops and counts.</summary>
internal sealed class LocalBackfill : IAsyncDisposable
{
    private const int Capacity = 256;
    private const long MaxHeldBytes = 256L << 20;

    private readonly ICacheTier _local;
    private readonly BlobWriteLocks _writeLocks;
    private readonly ILogger _logger;
    private readonly Channel<Job> _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private long _heldBytes;
    private long _backfills;
    private long _dropped;

    public LocalBackfill(ICacheTier local, BlobWriteLocks writeLocks, ILogger logger)
    {
        _local = local;
        _writeLocks = writeLocks;
        _logger = logger;
        _worker = Task.Run(WorkAsync);
    }

    public long Backfills => Interlocked.Read(ref _backfills);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a copy of a verified blob; takes ownership of <paramref name="data"/>.</summary>
    public void EnqueueBlob(NamespaceId ns, ContentDigest digest, IMemoryOwner<byte> data) => Enqueue(new Job(ns, digest, data, null, null));

    public void EnqueueEntry(NamespaceId ns, byte[] key, ReadOnlyMemory<byte> entry) => Enqueue(new Job(ns, default, null, key, entry));

    /// <summary>Counts a blob that reached the local tier on the read path itself (too large to hold in memory).</summary>
    public void CountInline() => Interlocked.Increment(ref _backfills);

    public void Zero()
    {
        Interlocked.Exchange(ref _backfills, 0);
        Interlocked.Exchange(ref _dropped, 0);
    }

    private void Enqueue(Job job)
    {
        var held = job.Data?.Memory.Length ?? 0;
        if (Interlocked.Add(ref _heldBytes, held) > MaxHeldBytes || !_jobs.Writer.TryWrite(job))
        {
            Interlocked.Add(ref _heldBytes, -held);
            Interlocked.Increment(ref _dropped);
            job.Data?.Dispose();
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await CopyAsync(job, _stopping.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _backfills);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _dropped);
                    _logger.LogDebug(e, "backfill into the local tier failed");
                }
                finally
                {
                    Interlocked.Add(ref _heldBytes, -(job.Data?.Memory.Length ?? 0));
                    job.Data?.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: copies not made yet are simply fetched remotely again next time.
        }
    }

    private async Task CopyAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.Entry is { } entry)
        {
            await _local.PutEntryAsync(job.Ns, job.Key, entry, cancellationToken).ConfigureAwait(false);
            return;
        }
        // The same lock as client uploads, so a backfill and an upload of one blob never interleave.
        using var lease = await _writeLocks.AcquireAsync(job.Ns, job.Digest, cancellationToken).ConfigureAwait(false);
        if (await _local.ContainsBlobAsync(job.Ns, job.Digest, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        await using var writer = await _local.BeginBlobWriteAsync(job.Ns, job.Digest, cancellationToken).ConfigureAwait(false);
        await writer.AppendAsync(job.Data!.Memory, cancellationToken).ConfigureAwait(false);
        await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        _stopping.CancelAfter(TimeSpan.FromSeconds(5));
        await _worker.ConfigureAwait(false);
        while (_jobs.Reader.TryRead(out var left))
        {
            left.Data?.Dispose();
        }
        _stopping.Dispose();
    }

    private sealed record Job(NamespaceId Ns, ContentDigest Digest, IMemoryOwner<byte>? Data, byte[]? Key, ReadOnlyMemory<byte>? Entry);
}
