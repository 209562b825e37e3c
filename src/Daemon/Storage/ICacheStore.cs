using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage;

/// <summary>What the gRPC services need from storage: verified blobs and entries, by namespace.</summary>
/// <remarks>
/// The gRPC front door talks only to this, so another front door (REAPI, HTTP) or a tier chain can be
/// put behind or in front of it without touching the services.
/// </remarks>
public interface ICacheStore
{
    /// <summary>Largest blob this store accepts; larger writes are refused before any byte is read.</summary>
    long MaxBlobSize { get; }

    ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or returns null on a miss.</summary>
    ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Starts storing a blob whose bytes the caller has yet to verify; nothing is visible before commit.</summary>
    ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    ValueTask<Entry?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    /// <summary>Stores an entry given as its serialised bytes: the caller serialises once, whatever number of tiers store it.</summary>
    ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken);

    /// <summary>True when some remote tier can be read, so that bringing entries into the local tier ahead of time can pay.</summary>
    bool HasReadableRemote { get; }

    /// <summary>Brings an entry and its outputs from the remote tiers into the local tier ahead of the lookup that will want them.</summary>
    Task<PrefetchedEntry> PrefetchEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    IReadOnlyList<TierStats> GetTierStats();

    void ZeroStats();
}

/// <summary>What a prefetch of one entry found: the entry (null when no tier has it), whether the local tier already held it, and the outputs it fetched.</summary>
public sealed record PrefetchedEntry(Entry? Entry, bool WasLocal, OutputFetch Fetched);

/// <summary>Output blobs brought into the local tier for one entry, and their bytes.</summary>
public readonly record struct OutputFetch(long Blobs, long Bytes);

/// <summary>Streams one stored blob; disposing it lets go of what it holds that no read took (pooled bytes, a spool file).</summary>
/// <remarks>One read at a time: readers that hold the blob's bytes hand them to a read of all of them.</remarks>
public interface IBlobReader : IDisposable
{
    long Size { get; }

    /// <summary>Yields the bytes of [offset, offset+length) clipped to the blob, in order; each chunk is owned by the caller.</summary>
    /// <exception cref="BlobUnavailableException">A chunk vanished or failed its checksum mid-read.</exception>
    IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, CancellationToken cancellationToken);
}

/// <summary>Receives a blob's bytes in order; disposing without <see cref="CommitAsync"/> discards them.</summary>
public interface IBlobWriter : IAsyncDisposable
{
    ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes the blob visible; call only after its digest has been verified.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A stored blob could not be read back whole (evicted or corrupt part).</summary>
public sealed class BlobUnavailableException(string message) : Exception(message);

/// <summary>The store cannot take more data right now (disk full, blob larger than the tier).</summary>
public sealed class StorageFullException(string message) : Exception(message);
