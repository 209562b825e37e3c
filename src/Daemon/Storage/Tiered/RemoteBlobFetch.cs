using System.Buffers;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Reads a blob from one remote tier and hands it out only once its SHA-256 matches; anything else is a counted miss.</summary>
/// <remarks>
/// Nothing is served while it is still being read: small blobs are verified in memory, larger ones
/// are verified while they are written into the local tier (the backfill doubles as the buffer), and
/// blobs too large for the local tier are verified into a spool file.
/// </remarks>
internal sealed class RemoteBlobFetch(ICacheTier local, BlobWriteLocks writeLocks, LocalBackfill backfill, string spoolDirectory)
{
    /// <summary>Largest blob verified in memory.</summary>
    public const long InMemoryLimit = 16L << 20;

    /// <summary>A verified hit's reader plus, for in-memory hits, its bytes for backfills (released by the caller).</summary>
    public readonly record struct Hit(IBlobReader Reader, SharedBlobBuffer? Buffer, bool InLocalTier);

    /// <summary>The verified blob, or null on a miss (absent, wrong size, corrupt, tier failing or skipped).</summary>
    /// <remarks>
    /// Never asked for the empty blob, which every tier chain holds locally. With <paramref name="intoLocalTier"/>
    /// a blob the local tier can take is in it when this returns, rather than backfilled later.
    /// </remarks>
    public async Task<Hit?> FetchAsync(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken, bool intoLocalTier = false)
    {
        if (!tier.TryEnter())
        {
            return null;
        }
        Hit? hit;
        try
        {
            hit = await ReadVerifiedAsync(tier, ns, digest, intoLocalTier, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tier.Abandoned();
            throw;
        }
        catch (StorageFullException)
        {
            // The local tier could not take it: not the remote's fault, and a plain miss here.
            tier.Abandoned();
            return null;
        }
        catch (Exception e)
        {
            tier.Failed(e);
            Interlocked.Increment(ref tier.Counters[TierCounter.BlobMisses]);
            return null;
        }
        tier.Succeeded();
        Interlocked.Increment(ref hit is null ? ref tier.Counters[TierCounter.BlobMisses] : ref tier.Counters[TierCounter.BlobHits]);
        if (hit is not null)
        {
            Interlocked.Add(ref tier.Counters[TierCounter.BytesRead], digest.Size);
        }
        tier.Existence.Record(ns, digest, hit is not null);
        return hit;
    }

    private async Task<Hit?> ReadVerifiedAsync(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest, bool intoLocalTier, CancellationToken cancellationToken)
    {
        if (digest.Size <= InMemoryLimit && !(intoLocalTier && digest.Size <= local.MaxBlobSize))
        {
            return await ReadRemoteAsync(tier, ns, digest, (source, verifier) => ReadIntoMemoryAsync(source, verifier, digest, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        if (digest.Size > local.MaxBlobSize)
        {
            return await ReadRemoteAsync(tier, ns, digest, (source, verifier) => ReadIntoSpoolFileAsync(source, verifier, digest, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        using var lease = await writeLocks.AcquireAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        // Another reader of the same blob may have brought it in while this one waited: then the remote is not asked.
        if (await local.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false) is { } already)
        {
            return new Hit(already, null, InLocalTier: true);
        }
        return await ReadRemoteAsync(tier, ns, digest, (source, verifier) => ReadIntoLocalTierAsync(source, verifier, ns, digest, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the remote blob and hands its bytes to <paramref name="read"/>; a blob that fails its check is counted corrupt.</summary>
    private static async Task<Hit?> ReadRemoteAsync(
        GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest, Func<IBlobReader, Sha256Verifier, Task<Hit?>> read, CancellationToken cancellationToken)
    {
        using var source = await tier.Tier.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }
        // A request naming a stored hash with another size is a miss, not damage to the stored copy.
        if (source.Size != digest.Size)
        {
            return null;
        }
        using var verifier = new Sha256Verifier(digest);
        var hit = await read(source, verifier).ConfigureAwait(false);
        if (hit is null)
        {
            await CountCorruptAsync(tier, ns, digest).ConfigureAwait(false);
        }
        return hit;
    }

    private static async Task<Hit?> ReadIntoMemoryAsync(IBlobReader source, Sha256Verifier verifier, ContentDigest digest, CancellationToken cancellationToken)
    {
        SharedBlobBuffer? buffer = null;
        byte[]? rented = null;
        var filled = 0;
        try
        {
            await foreach (var chunk in source.ReadAsync(0, source.Size, cancellationToken).ConfigureAwait(false))
            {
                if (!verifier.TryAppend(chunk.Data.Span))
                {
                    chunk.Dispose();
                    return null;
                }
                if (filled == 0 && chunk.Length == digest.Size)
                {
                    // The usual Redis case: the whole value in one pooled lease, kept as it is.
                    buffer = new SharedBlobBuffer(chunk.Data, chunk);
                    filled = chunk.Length;
                    continue;
                }
                using (chunk)
                {
                    rented ??= ArrayPool<byte>.Shared.Rent((int)digest.Size);
                    chunk.Data.Span.CopyTo(rented.AsSpan(filled));
                    filled += chunk.Length;
                }
            }
            if (!verifier.TryVerify(out _))
            {
                return null;
            }
            if (buffer is null)
            {
                buffer = SharedBlobBuffer.FromRented(rented!, filled);
                rented = null;
            }
            // The reader holds a reference of its own; the creator's passes to the caller.
            var hit = new Hit(new MemoryBlobReader(buffer.Retain()), buffer, InLocalTier: false);
            buffer = null;
            return hit;
        }
        finally
        {
            buffer?.Release();
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Verifies the bytes while writing them into the local tier; the caller holds the blob's write lock.</summary>
    private async Task<Hit?> ReadIntoLocalTierAsync(IBlobReader source, Sha256Verifier verifier, NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        await using (var writer = await local.BeginBlobWriteAsync(ns, digest, cancellationToken).ConfigureAwait(false))
        {
            if (!await CopyVerifiedAsync(source, verifier, (data, ct) => writer.AppendAsync(data, ct), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        backfill.CountInline();
        var reader = await local.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false)
            ?? throw new BlobUnavailableException($"blob {digest} was evicted from the local tier right after it was fetched");
        return new Hit(reader, null, InLocalTier: true);
    }

    private async Task<Hit?> ReadIntoSpoolFileAsync(IBlobReader source, Sha256Verifier verifier, ContentDigest digest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(spoolDirectory);
        var path = Path.Combine(spoolDirectory, $"{digest.Hex}.{Guid.NewGuid():N}");
        var keep = false;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                if (!await CopyVerifiedAsync(source, verifier, (data, ct) => file.WriteAsync(data, ct), cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
            keep = true;
            return new Hit(new SpooledBlobReader(path, digest.Size), null, InLocalTier: false);
        }
        finally
        {
            if (!keep)
            {
                File.Delete(path);
            }
        }
    }

    private static async Task<bool> CopyVerifiedAsync(
        IBlobReader source, Sha256Verifier verifier, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        await foreach (var chunk in source.ReadAsync(0, source.Size, cancellationToken).ConfigureAwait(false))
        {
            using (chunk)
            {
                if (!verifier.TryAppend(chunk.Data.Span))
                {
                    return false;
                }
                await sink(chunk.Data, cancellationToken).ConfigureAwait(false);
            }
        }
        return verifier.TryVerify(out _);
    }

    private static async Task CountCorruptAsync(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest)
    {
        Interlocked.Increment(ref tier.Counters[TierCounter.CorruptReads]);
        tier.Existence.Forget(ns, digest);
        await tier.RemoveDamagedAsync((ns, digest), static (remote, s, ct) => remote.DeleteBlobAsync(s.ns, s.digest, ct)).ConfigureAwait(false);
    }
}
