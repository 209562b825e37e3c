using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>The embedded cache tier: blobs and entries in a capacity-capped FASTER log on local disk.</summary>
public sealed class FasterLocalTier : ICacheTier
{
    // About 100 bytes each: a few MiB for the blobs of many recent builds.
    private const int CachedManifests = 50_000;

    private readonly LocalTierOptions _options;
    private readonly CheckpointScheduler _checkpoints;
    private readonly TierCounters _counters = new();
    private readonly BlobManifestCache _manifests;
    private int _disposed;

    public FasterLocalTier(LocalTierOptions options, ILogger<FasterLocalTier> logger)
    {
        _options = options;
        var layout = FasterLayout.ForCapacity(options.Capacity, options.MemoryBytes);
        Store = new FasterRecordStore(options.Directory, layout, options.MaxConcurrentWrites);
        Capacity = new LogCapacity(Store, options.Capacity, options.Directory);
        _manifests = new BlobManifestCache(Capacity, CachedManifests);
        _checkpoints = new CheckpointScheduler(Store, Capacity, options.CheckpointInterval, options.DirectoryLost, logger);
    }

    internal FasterRecordStore Store { get; }

    internal LogCapacity Capacity { get; }

    public string Name => "local";

    public long MaxBlobSize => Capacity.MaxBlobSize;

    // Blobs are written only after their digest is verified, and every record carries a checksum checked on read.
    public bool TrustedReads => true;

    public bool IsDisconnected => false;

    public long UsedBytes => Capacity.UsedBytes;

    public async ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.IsEmptyBlob)
        {
            return true;
        }
        var timer = TierTelemetry.Start("local", "contains_blob");
        var (manifest, _) = await ReadManifestAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        timer.End(manifest is null ? "miss" : "hit");
        return manifest is not null;
    }

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.IsEmptyBlob)
        {
            Interlocked.Increment(ref _counters[TierCounter.BlobHits]);
            return new FasterBlobReader(this, ns, digest, new BlobManifest(0, 0, FasterLayout.ChunkPayload, 0), long.MaxValue);
        }
        var timer = TierTelemetry.Start("local", "open_blob");
        var (manifest, address) = await ReadManifestAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            Interlocked.Increment(ref _counters[TierCounter.BlobMisses]);
            timer.End("miss");
            return null;
        }
        timer.End("hit");
        Interlocked.Increment(ref _counters[TierCounter.BlobHits]);
        Interlocked.Add(ref _counters[TierCounter.BytesRead], manifest.Value.Size);
        return new FasterBlobReader(this, ns, digest, manifest.Value, address);
    }

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size > MaxBlobSize)
        {
            throw new StorageFullException(
                $"blob of {digest.Size} bytes exceeds the local tier's limit of {MaxBlobSize} bytes (for its {_options.Capacity}-byte capacity)");
        }
        Capacity.EnsureDiskRoom(digest.Size);
        return ValueTask.FromResult<IBlobWriter>(new FasterBlobWriter(this, ns, digest));
    }

    public async ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var timer = TierTelemetry.Start("local", "get_entry");
        var recordKey = RecordKey.Create(RecordKey.Entry, ns, key.Span);
        var record = await Store.ReadAsync(recordKey, cancellationToken).ConfigureAwait(false);
        using var memory = record.Memory;
        // Entry hits and misses are the chain's to count: only it knows whether the bytes parse.
        if (!record.Found)
        {
            timer.End("miss");
            return null;
        }
        if (!ChecksummedRecord.TryGetPayload(record.Span, out var payload))
        {
            Interlocked.Increment(ref _counters[TierCounter.CorruptReads]);
            Store.Delete(recordKey);
            timer.End("error");
            return null;
        }
        var entry = payload.ToArray();
        if (Capacity.IsInOlderHalf(record.Address))
        {
            await Store.UpsertAsync(recordKey, memory!.Memory[..record.Length], cancellationToken).ConfigureAwait(false);
            Capacity.EvictIfNeeded();
        }
        timer.End("hit");
        return entry;
    }

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        var size = entry.Length;
        if (size > _options.MaxEntryBytes)
        {
            throw new ArgumentException($"entry of {size} bytes exceeds the limit of {_options.MaxEntryBytes} bytes");
        }
        Capacity.EnsureDiskRoom(size);
        var value = new byte[ChecksummedRecord.ChecksumLength + size];
        entry.Span.CopyTo(value.AsSpan(ChecksummedRecord.ChecksumLength));
        ChecksummedRecord.WriteChecksum(entry.Span, value);
        var timer = TierTelemetry.Start("local", "put_entry");
        await Capacity.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        await Store.UpsertAsync(RecordKey.Create(RecordKey.Entry, ns, key.Span), value, cancellationToken).ConfigureAwait(false);
        Capacity.EvictIfNeeded();
        CountWrite(size);
        timer.End("ok");
    }

    public void Describe(TierStats stats)
    {
        stats.SizeBytes = Capacity.UsedBytes;
        stats.CapacityBytes = Capacity.Capacity;
        stats.Evictions = Capacity.Evictions;
        stats.EvictedBytes = Capacity.EvictedBytes;
        stats.Checkpoints = _checkpoints.Checkpoints;
        stats.LastCheckpointUnixMs = _checkpoints.LastCheckpointUnixMs;
        _counters.AddTo(stats);
    }

    public void ZeroStats()
    {
        _counters.Zero();
        Capacity.ZeroStats();
    }

    internal async ValueTask WriteManifestAsync(NamespaceId ns, ContentDigest digest, BlobManifest manifest, CancellationToken cancellationToken)
    {
        var value = new byte[ChecksummedRecord.ChecksumLength + BlobManifest.Length];
        manifest.Write(value.AsSpan(ChecksummedRecord.ChecksumLength));
        ChecksummedRecord.WriteChecksum(value.AsSpan(ChecksummedRecord.ChecksumLength), value);
        var address = await Store.UpsertAsync(RecordKey.Create(RecordKey.BlobManifest, ns, digest.Hash), value, cancellationToken).ConfigureAwait(false);
        _manifests.Remember(ns, digest, manifest, address);
        Capacity.EvictIfNeeded();
    }

    public ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        DropBrokenBlob(ns, digest, corrupt: false);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        Store.Delete(RecordKey.Create(RecordKey.Entry, ns, key.Span));
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets a blob whose chunks are gone or damaged, so it reads as a miss from now on.</summary>
    internal void DropBrokenBlob(NamespaceId ns, ContentDigest digest, bool corrupt)
    {
        if (corrupt)
        {
            Interlocked.Increment(ref _counters[TierCounter.CorruptReads]);
        }
        _manifests.Forget(ns, digest);
        Store.Delete(RecordKey.Create(RecordKey.BlobManifest, ns, digest.Hash));
    }

    internal void CountWrite(long bytes)
    {
        Interlocked.Increment(ref _counters[TierCounter.Writes]);
        Interlocked.Add(ref _counters[TierCounter.BytesWritten], bytes);
    }

    private async ValueTask<(BlobManifest? Manifest, long Address)> ReadManifestAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (_manifests.TryGet(ns, digest, out var known, out var knownAddress))
        {
            return (known, knownAddress);
        }
        var record = await Store.ReadAsync(RecordKey.Create(RecordKey.BlobManifest, ns, digest.Hash), cancellationToken).ConfigureAwait(false);
        using var memory = record.Memory;
        if (!record.Found)
        {
            return (null, 0);
        }
        if (!ChecksummedRecord.TryGetPayload(record.Span, out var payload) || !BlobManifest.TryRead(payload, out var manifest))
        {
            DropBrokenBlob(ns, digest, corrupt: true);
            return (null, 0);
        }
        // A request naming the right hash with the wrong size is a miss; the stored blob stays.
        // Chunks precede their manifest in the log, so FIFO eviction takes them first.
        if (manifest.Size != digest.Size || !Capacity.IsLive(manifest.OldestChunkAddress))
        {
            return (null, 0);
        }
        _manifests.Remember(ns, digest, manifest, record.Address);
        return (manifest, record.Address);
    }

    public async ValueTask DisposeAsync()
    {
        // The container and the tier chain may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _checkpoints.DisposeAsync().ConfigureAwait(false);
        Store.Dispose();
    }
}
