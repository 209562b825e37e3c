using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>A shared cache behind the local tier (Redis, S3): raw, unverified blob and entry bytes by namespace.</summary>
/// <remarks>
/// Implementations bound every request they send by their own timeout and throw on any failure; the
/// tier chain turns failures into misses, counts them and feeds its circuit breaker. Nothing read
/// through this interface is trusted: the chain verifies blobs and entry envelopes itself.
/// </remarks>
internal interface IRemoteTier : IAsyncDisposable
{
    /// <summary>"redis" or "s3": the name in stats and logs.</summary>
    string Name { get; }

    /// <summary>Largest blob this tier stores; larger ones are neither looked up nor written here.</summary>
    long MaxBlobSize { get; }

    /// <summary>True when the tier knows, without a request, that it cannot be reached (a dropped Redis connection).</summary>
    bool IsDisconnected { get; }

    Task<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Opens a blob for one sequential read of all its bytes, or returns null on a miss.</summary>
    Task<RemoteBlobSource?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>Starts an upload that becomes visible only on commit (the caller has verified the bytes).</summary>
    IBlobWriter BeginBlobWrite(NamespaceId ns, ContentDigest digest);

    /// <summary>Removes a blob found corrupt, so that a later write can put a good copy back.</summary>
    Task DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken);

    /// <summary>The stored entry envelope (see <see cref="EntryEnvelope"/>), or null on a miss.</summary>
    Task<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    Task PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken);
}

/// <summary>The bytes of one remote blob as they arrive, with the length the remote claims for it.</summary>
internal abstract class RemoteBlobSource : IAsyncDisposable
{
    protected RemoteBlobSource(long length) => Length = length;

    /// <summary>Length the remote reports; a blob whose length differs from its digest's is a plain miss.</summary>
    public long Length { get; }

    /// <summary>Yields the blob's bytes in order; each chunk is owned (and disposed) by the caller.</summary>
    public abstract IAsyncEnumerable<BlobChunk> ReadAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
