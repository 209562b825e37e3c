namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Settings of the Redis tier: where it is, what it may do, and what it keeps.</summary>
public sealed record RedisTierOptions
{
    public const long DefaultMaxBlobSize = 1 << 20;

    /// <summary>Connection string or redis:// URL(s); null means no Redis tier.</summary>
    public string? Endpoint { get; init; }

    public TierMode Mode { get; init; } = TierMode.ReadWrite;

    /// <summary>Expiry set on every write and refreshed on every hit; null keeps keys until Redis evicts them.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Blobs up to this size live in Redis; larger ones only locally and in S3.</summary>
    public long MaxBlobSize { get; init; } = DefaultMaxBlobSize;

    public string KeyPrefix { get; init; } = "cachefarm";

    /// <summary>Credentials and database given apart from the endpoint (sccache's separate variables); they win over the endpoint's.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public int? Database { get; init; }

    /// <summary>PEM file of the CA that signs the Redis server's TLS certificate; null trusts the system's store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Deadline of one Redis command (and of connecting).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && Mode != TierMode.Off;
}
