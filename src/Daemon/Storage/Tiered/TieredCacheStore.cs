using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>A local store in front of remote tiers (fastest first): first verified hit wins, hits are backfilled, writes go behind.</summary>
/// <remarks>The local store is any <see cref="ICacheStore"/> (the FASTER tier in the daemon, memory in unit tests).</remarks>
internal sealed class TieredCacheStore : ICacheStore, IAsyncDisposable
{
    private readonly ICacheStore _local;
    private readonly IReadOnlyList<GuardedRemoteTier> _remotes;
    private readonly IReadOnlyList<WriteBehindQueue?> _queues;
    private readonly LocalBackfill _backfill;
    private readonly RemoteBlobFetch _fetch;
    private readonly TieredStoreOptions _options;
    private readonly UploadLocalReads _uploadReads = new();
    private readonly long _largestRemoteBlob;
    private int _disposed;

    public TieredCacheStore(
        ICacheStore local, IReadOnlyList<GuardedRemoteTier> remotes, TieredStoreOptions options, BlobWriteLocks writeLocks,
        string spoolDirectory, Microsoft.Extensions.Logging.ILogger logger)
    {
        _local = local;
        _remotes = remotes;
        _options = options;
        _queues = remotes.Select(r => r.CanWrite ? new WriteBehindQueue(r, local, _uploadReads, options.WriteBehindQueue, logger) : null).ToArray();
        _backfill = new LocalBackfill(local, writeLocks, logger);
        _fetch = new RemoteBlobFetch(local, writeLocks, _backfill, spoolDirectory);
        _largestRemoteBlob = remotes.Where(r => r.CanWrite).Select(r => r.Tier.MaxBlobSize).DefaultIfEmpty(0).Max();
    }

    /// <summary>The largest blob any writable tier takes: a blob too large for the local tier may still live in S3.</summary>
    public long MaxBlobSize => Math.Max(_local.MaxBlobSize, _largestRemoteBlob);

    public async ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (await _local.ContainsBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }
        foreach (var remote in _remotes)
        {
            if (!remote.CanRead || !remote.Holds(digest))
            {
                continue;
            }
            var present = remote.Existence.Lookup(ns, digest)
                ?? await remote.RunAsync((ns, digest), static async (tier, s, ct) => (bool?)await tier.ContainsBlobAsync(s.ns, s.digest, ct).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
            if (present is { } known)
            {
                remote.Existence.Record(ns, digest, known);
                if (known)
                {
                    return true;
                }
            }
        }
        return false;
    }

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var reader = await _local.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (reader is not null)
        {
            return reader;
        }
        for (var i = 0; i < _remotes.Count; i++)
        {
            var remote = _remotes[i];
            if (!remote.CanRead || !remote.Holds(digest))
            {
                continue;
            }
            if (await _fetch.FetchAsync(remote, ns, digest, cancellationToken).ConfigureAwait(false) is { } hit)
            {
                BackfillBlob(i, ns, digest, hit);
                return hit.Reader;
            }
        }
        return null;
    }

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size <= _local.MaxBlobSize)
        {
            return WriteLocallyAsync(ns, digest, cancellationToken);
        }
        foreach (var remote in _remotes)
        {
            if (remote.CanWrite && remote.Holds(digest) && remote.TryEnter())
            {
                return ValueTask.FromResult<IBlobWriter>(new DirectRemoteBlobWriter(remote, ns, digest));
            }
        }
        throw new StorageFullException($"blob of {digest.Size} bytes exceeds the local tier's limit of {_local.MaxBlobSize} bytes and no remote tier can take it now");
    }

    public async ValueTask<Entry?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var entry = await _local.GetEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            return entry;
        }
        for (var i = 0; i < _remotes.Count; i++)
        {
            var remote = _remotes[i];
            if (!remote.CanRead)
            {
                continue;
            }
            var envelope = await remote.RunAsync((ns, key), static (tier, s, ct) => tier.GetEntryAsync(s.ns, s.key, ct), null, cancellationToken).ConfigureAwait(false);
            if (envelope is null)
            {
                Interlocked.Increment(ref remote.Counters[TierCounter.EntryMisses]);
                continue;
            }
            if (!EntryEnvelope.TryUnwrap(envelope, out var payload) || !StoredEntry.TryParse(payload.Span, out entry))
            {
                Interlocked.Increment(ref remote.Counters[TierCounter.CorruptReads]);
                Interlocked.Increment(ref remote.Counters[TierCounter.EntryMisses]);
                continue;
            }
            Interlocked.Increment(ref remote.Counters[TierCounter.EntryHits]);
            Interlocked.Add(ref remote.Counters[TierCounter.BytesRead], envelope.Length);
            BackfillEntry(i, ns, key.ToArray(), payload, envelope);
            return entry;
        }
        return null;
    }

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        await _local.PutEntryAsync(ns, key, entry, cancellationToken).ConfigureAwait(false);
        if (_queues.All(q => q is null))
        {
            return;
        }
        var envelope = EntryEnvelope.Wrap(entry.Span);
        var keyBytes = key.ToArray();
        foreach (var queue in _queues)
        {
            queue?.TryEnqueue(WriteBehindJob.Entry(ns, keyBytes, envelope));
        }
    }

    public IReadOnlyList<TierStats> GetTierStats()
    {
        var stats = new List<TierStats>(_local.GetTierStats());
        _uploadReads.Subtract(stats[0]);
        stats[0].Backfills = _backfill.Backfills;
        stats[0].DroppedWrites = _backfill.Dropped;
        for (var i = 0; i < _remotes.Count; i++)
        {
            var remote = _remotes[i];
            var tier = new TierStats
            {
                Name = remote.Name,
                Health = remote.Health,
                Mode = remote.Mode.Name(),
                PendingWrites = _queues[i]?.Pending ?? 0,
                BreakerOpens = remote.Breaker.Opens,
            };
            remote.Counters.CopyTo(tier);
            stats.Add(tier);
        }
        return stats;
    }

    public void ZeroStats()
    {
        _local.ZeroStats();
        _uploadReads.Zero();
        _backfill.Zero();
        foreach (var remote in _remotes)
        {
            remote.Counters.Zero();
        }
    }

    private async ValueTask<IBlobWriter> WriteLocallyAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var writer = await _local.BeginBlobWriteAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        return new WriteBehindBlobWriter(writer, () =>
        {
            for (var i = 0; i < _remotes.Count; i++)
            {
                if (_queues[i] is { } queue && _remotes[i].Holds(digest))
                {
                    queue.TryEnqueue(WriteBehindJob.Blob(ns, digest));
                }
            }
        });
    }

    /// <summary>Copies a hit in remote tier <paramref name="hitTier"/> into the local tier and the faster remote tiers.</summary>
    private void BackfillBlob(int hitTier, NamespaceId ns, ContentDigest digest, RemoteBlobFetch.Hit hit)
    {
        try
        {
            if (!_options.Backfill)
            {
                return;
            }
            if (hit.Buffer is { } buffer && digest.Size <= _local.MaxBlobSize)
            {
                _backfill.EnqueueBlob(ns, digest, buffer.Share());
            }
            for (var i = 0; i < hitTier; i++)
            {
                if (_queues[i] is not { } queue || !_remotes[i].Holds(digest))
                {
                    continue;
                }
                if (hit.Buffer is { } data)
                {
                    queue.TryEnqueue(WriteBehindJob.Blob(ns, digest, data.Share(), isBackfill: true));
                }
                else if (hit.InLocalTier)
                {
                    queue.TryEnqueue(WriteBehindJob.Blob(ns, digest, isBackfill: true));
                }
            }
        }
        finally
        {
            hit.Buffer?.Release();
        }
    }

    private void BackfillEntry(int hitTier, NamespaceId ns, byte[] key, ReadOnlyMemory<byte> entry, byte[] envelope)
    {
        if (!_options.Backfill)
        {
            return;
        }
        _backfill.EnqueueEntry(ns, key, entry);
        for (var i = 0; i < hitTier; i++)
        {
            _queues[i]?.TryEnqueue(WriteBehindJob.Entry(ns, key, envelope, isBackfill: true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once per registration (as itself and as ICacheStore).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var queue in _queues)
        {
            if (queue is not null)
            {
                await queue.DisposeAsync().ConfigureAwait(false);
            }
        }
        await _backfill.DisposeAsync().ConfigureAwait(false);
        foreach (var remote in _remotes)
        {
            await remote.DisposeAsync().ConfigureAwait(false);
        }
    }
}
