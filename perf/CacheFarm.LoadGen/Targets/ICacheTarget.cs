using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Targets;

/// <summary>The cache operations the scenarios need, implemented once per kind of server.</summary>
/// <remarks>Every call is bounded by the operation timeout the target was created with.</remarks>
internal interface ICacheTarget : IAsyncDisposable
{
    TargetSpec Spec { get; }

    /// <summary>Streams the blob's bytes into <paramref name="check"/> (which enforces the length).</summary>
    Task ReadBlobAsync(ContentDigest digest, BlobReadCheck check, CancellationToken cancellationToken);

    Task WriteBlobAsync(IBlobPayload payload, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContentDigest>> FindMissingAsync(IReadOnlyList<ContentDigest> digests, CancellationToken cancellationToken);

    /// <summary>Fetches an entry and returns its serialized size; a miss is an error.</summary>
    Task<int> GetEntryAsync(string key, CancellationToken cancellationToken);

    Task PutEntryAsync(string key, Entry entry, CancellationToken cancellationToken);

    /// <summary>Frees what the last run wrote, where the server cannot bound it itself.</summary>
    Task DiscardWrittenBlobsAsync(CancellationToken cancellationToken);

    /// <summary>The server's process id when the server can tell; null otherwise.</summary>
    Task<int?> QueryServerPidAsync(CancellationToken cancellationToken);
}
