using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>The daemon's store: a trusted local tier in front of remote tiers (fastest first); the first verified hit wins, hits are backfilled, writes go behind.</summary>
/// <remarks>
/// Every level is an <see cref="ICacheTier"/>: the FASTER log and Redis, S3 in the daemon, memory in
/// unit tests. The local tier is served as it reads; each remote tier sits behind its own guard
/// (mode, breaker, existence cache, counters), and its blobs and entries are verified here.
/// </remarks>
internal sealed class TieredCacheStore : ICacheStore, IAsyncDisposable
{
    private readonly ICacheTier _local;
    private readonly IReadOnlyList<GuardedRemoteTier> _remotes;
    private readonly IReadOnlyList<WriteBehindQueue?> _queues;
    private readonly LocalBackfill _backfill;
    private readonly RemoteBlobFetch _fetch;
    private readonly TieredStoreOptions _options;
    private readonly UploadLocalReads _uploadReads = new();
    private readonly long _largestRemoteBlob;
    private readonly bool _writesBehind;
    // What the chain counts for the local tier: entry hits and misses (a stored entry that does not parse is a miss).
    private readonly TierCounters _localCounters = new();
    // Outputs of one remote entry hit fetched at once: enough to hide round trips, few enough not to flood a tier.
    private const int OutputFetches = 8;
    private int _disposed;

    public TieredCacheStore(
        ICacheTier local, IReadOnlyList<GuardedRemoteTier> remotes, TieredStoreOptions options, BlobWriteLocks writeLocks,
        string spoolDirectory, Microsoft.Extensions.Logging.ILogger logger)
    {
        if (!local.TrustedReads)
        {
            throw new ArgumentException($"the front tier serves clients unverified, so it must check its own reads; {local.Name} does not", nameof(local));
        }
        _local = local;
        _remotes = remotes;
        _options = options;
        _queues = remotes.Select(r => r.CanWrite ? new WriteBehindQueue(r, local, _uploadReads, options.WriteBehindQueue, logger) : null).ToArray();
        _backfill = new LocalBackfill(local, writeLocks, logger);
        _fetch = new RemoteBlobFetch(local, writeLocks, _backfill, spoolDirectory);
        _writesBehind = _queues.Any(q => q is not null);
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
        return await FetchFromRemotesAsync(ns, digest, intoLocalTier: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first verified remote hit, backfilled into the faster tiers; null when no remote tier has the blob.</summary>
    private async Task<IBlobReader?> FetchFromRemotesAsync(NamespaceId ns, ContentDigest digest, bool intoLocalTier, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _remotes.Count; i++)
        {
            var remote = _remotes[i];
            if (remote.CanRead && remote.Holds(digest)
                && await _fetch.FetchAsync(remote, ns, digest, cancellationToken, intoLocalTier).ConfigureAwait(false) is { } hit)
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
                return DirectRemoteBlobWriter.BeginAsync(remote, ns, digest, cancellationToken);
            }
        }
        throw new StorageFullException($"blob of {digest.Size} bytes exceeds the local tier's limit of {_local.MaxBlobSize} bytes and no remote tier can take it now");
    }

    public async ValueTask<Entry?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (await ReadLocalEntryAsync(ns, key, cancellationToken).ConfigureAwait(false) is { } found)
        {
            Interlocked.Increment(ref _localCounters[TierCounter.EntryHits]);
            return found;
        }
        Interlocked.Increment(ref _localCounters[TierCounter.EntryMisses]);
        return (await GetRemoteEntryAsync(ns, key, cancellationToken).ConfigureAwait(false)).Entry;
    }

    public bool HasReadableRemote => _remotes.Any(r => r.CanRead);

    public async Task<PrefetchedEntry> PrefetchEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (await ReadLocalEntryAsync(ns, key, cancellationToken).ConfigureAwait(false) is { } found)
        {
            // The entry stayed but an output may have been evicted: brought back now, the hit finds it local.
            return new PrefetchedEntry(found, WasLocal: true, await FetchOutputsAsync(ns, found, cancellationToken).ConfigureAwait(false));
        }
        var (entry, fetched) = await GetRemoteEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
        return new PrefetchedEntry(entry, WasLocal: false, fetched);
    }

    /// <summary>The local tier's entry for a key, or null; one it cannot read is deleted.</summary>
    private async ValueTask<Entry?> ReadLocalEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (await _local.GetEntryAsync(ns, key, cancellationToken).ConfigureAwait(false) is not { } local)
        {
            return null;
        }
        if (StoredEntry.TryParse(local, out var found))
        {
            return found;
        }
        // Checksummed yet unreadable: written by a daemon whose entry format this one cannot read.
        // Gone, it reads as a miss and the next put replaces it.
        Interlocked.Increment(ref _localCounters[TierCounter.CorruptReads]);
        await _local.DeleteEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The first remote tier's verified entry, backfilled, with its outputs brought into the local tier.</summary>
    private async Task<(Entry? Entry, OutputFetch Fetched)> GetRemoteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
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
            if (!EntryEnvelope.TryUnwrap(envelope, out var payload) || !StoredEntry.TryParse(payload.Span, out var entry))
            {
                Interlocked.Increment(ref remote.Counters[TierCounter.CorruptReads]);
                Interlocked.Increment(ref remote.Counters[TierCounter.EntryMisses]);
                await remote.RemoveDamagedAsync((ns, key), static (tier, s, ct) => tier.DeleteEntryAsync(s.ns, s.key, ct)).ConfigureAwait(false);
                continue;
            }
            Interlocked.Increment(ref remote.Counters[TierCounter.EntryHits]);
            Interlocked.Add(ref remote.Counters[TierCounter.BytesRead], envelope.Length);
            BackfillEntry(i, ns, key.ToArray(), payload, envelope);
            return (entry, await FetchOutputsAsync(ns, entry, cancellationToken).ConfigureAwait(false));
        }
        return (null, new OutputFetch(0, 0));
    }

    /// <summary>
    /// Brings a remote hit's outputs into the local tier together before the entry is answered: the completeness
    /// check and the restore that follow then find them all locally, instead of fetching them one after another.
    /// </summary>
    /// <remarks>A blob that cannot be fetched now is left to the reads that follow, which try every tier again.</remarks>
    private async Task<OutputFetch> FetchOutputsAsync(NamespaceId ns, Entry entry, CancellationToken cancellationToken)
    {
        if (!_options.Backfill)
        {
            return new OutputFetch(0, 0);
        }
        var wanted = new HashSet<ContentDigest>();
        foreach (var output in entry.Outputs)
        {
            if (ContentDigest.TryParse(output.Digest, out var digest, out _) && !digest.IsEmptyBlob && digest.Size <= _local.MaxBlobSize)
            {
                wanted.Add(digest);
            }
        }
        long blobs = 0, bytes = 0;
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = OutputFetches, CancellationToken = cancellationToken }, async (digest, ct) =>
        {
            if (await _local.ContainsBlobAsync(ns, digest, ct).ConfigureAwait(false))
            {
                return;
            }
            if (await FetchFromRemotesAsync(ns, digest, intoLocalTier: true, ct).ConfigureAwait(false) is { } reader)
            {
                reader.Dispose();
                Interlocked.Increment(ref blobs);
                Interlocked.Add(ref bytes, digest.Size);
            }
        }).ConfigureAwait(false);
        return new OutputFetch(blobs, bytes);
    }

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        await _local.PutEntryAsync(ns, key, entry, cancellationToken).ConfigureAwait(false);
        if (!_writesBehind)
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
        var local = new TierStats { Name = _local.Name, Health = "healthy", Mode = TierMode.ReadWrite.Name() };
        _local.Describe(local);
        _uploadReads.Subtract(local);
        _localCounters.AddTo(local);
        local.Backfills = _backfill.Backfills;
        local.DroppedWrites = _backfill.Dropped;
        var stats = new List<TierStats>(1 + _remotes.Count) { local };
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
            remote.Tier.Describe(tier);
            remote.Counters.AddTo(tier);
            stats.Add(tier);
        }
        return stats;
    }

    public void ZeroStats()
    {
        _local.ZeroStats();
        _uploadReads.Zero();
        _backfill.Zero();
        _localCounters.Zero();
        foreach (var remote in _remotes)
        {
            remote.Tier.ZeroStats();
            remote.Counters.Zero();
        }
    }

    private async ValueTask<IBlobWriter> WriteLocallyAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var writer = await _local.BeginBlobWriteAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (!_writesBehind)
        {
            return writer;
        }
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
        // The container may dispose this once per registration.
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
        await _local.DisposeAsync().ConfigureAwait(false);
    }
}
