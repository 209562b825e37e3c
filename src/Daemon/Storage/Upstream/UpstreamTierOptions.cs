using CacheFarm.Daemon.Storage.Remote;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>Settings of the upstream tier: a shared cachefarmd that a runner-local daemon reads through and writes behind to.</summary>
public sealed record UpstreamTierOptions
{
    public const long DefaultMaxBlobSize = 5L << 30;

    /// <summary>http:// or https:// address of the shared daemon; null means no upstream.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>host:port of the upstream's bulk-read listener (its bulk_listen); null reads over gRPC. TLS, CA and token are the upstream's.</summary>
    public string? BulkEndpoint { get; init; }

    /// <summary>Bearer token sent with every upstream call; with a read-only token, set <see cref="Mode"/> to read-only.</summary>
    public string? Token { get; init; }

    /// <summary>PEM CA the upstream's certificate must chain to; null trusts the system's store.</summary>
    public string? CaFile { get; init; }

    public TierMode Mode { get; init; } = TierMode.ReadWrite;

    /// <summary>Deadline of one unary call, and of the wait for each chunk of a stream.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Blobs up to this size are looked up and written upstream.</summary>
    public long MaxBlobSize { get; init; } = DefaultMaxBlobSize;

    public bool IsConfigured => Endpoint is not null && Mode != TierMode.Off;
}
