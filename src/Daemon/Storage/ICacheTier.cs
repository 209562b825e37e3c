using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage;

/// <summary>One level of the cache (the local FASTER log, Redis, S3, memory in tests): blob and entry bytes by namespace.</summary>
/// <remarks>
/// The tier chain composes these, fastest first, into the daemon's <see cref="ICacheStore"/>. A tier
/// throws on any failure; the chain turns a remote tier's failures into counted misses. Only a tier
/// with <see cref="TrustedReads"/> is served as it reads: what any other tier returns, blobs and
/// entries alike, the chain verifies before a byte of it reaches a client.
/// </remarks>
public interface ICacheTier : IAsyncDisposable
{
    /// <summary>"local", "redis", "s3": the name in stats, metrics and logs.</summary>
    string Name { get; }

    /// <summary>Largest blob this tier stores; larger ones are neither looked up nor written here.</summary>
    long MaxBlobSize { get; }

    /// <summary>True when the tier holds only bytes verified before they were written and checks its own records on read.</summary>
    bool TrustedReads { get; }

    /// <summary>True when the tier knows, without a request, that it cannot be reached (a dropped Redis connection).</summary>
    bool IsDisconnected { get; }

    ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or returns null on a miss; the reader's size is the one the tier claims.</summary>
    ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Starts storing a blob; nothing is visible before commit, which the caller makes only after verifying the bytes.</summary>
    /// <exception cref="StorageFullException">The blob is larger than this tier takes, or its disk is full.</exception>
    ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Removes a blob found damaged, so that a later write can put a good copy back.</summary>
    ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Removes an entry found damaged or unreadable, so that it reads as a miss and a later put replaces it.</summary>
    ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    /// <summary>The bytes last put under the key, or null on a miss.</summary>
    /// <remarks>
    /// Opaque to the tier: the chain puts the serialised entry into the trusted tier and, into every
    /// other, an envelope that carries its checksum.
    /// </remarks>
    ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken);

    /// <summary>Fills in what the tier counts and knows of itself (size, capacity, evictions); the chain adds what it counts.</summary>
    /// <remarks>A remote tier keeps no counts of its own: the chain's guard around it counts everything it did.</remarks>
    void Describe(TierStats stats)
    {
    }

    void ZeroStats()
    {
    }
}
