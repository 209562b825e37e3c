namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Settings of the S3 tier; anything unset comes from the standard AWS environment and config files.</summary>
public sealed record S3TierOptions
{
    public const int MinPartSize = 5 << 20;
    public const int MaxParts = 10_000;

    /// <summary>Bucket name; null means no S3 tier.</summary>
    public string? Bucket { get; init; }

    /// <summary>S3-compatible endpoint (URL or host:port); null means AWS itself.</summary>
    public string? Endpoint { get; init; }

    public string? Region { get; init; }

    public string KeyPrefix { get; init; } = "cachefarm";

    /// <summary>Scheme for an endpoint given without one.</summary>
    public bool UseSsl { get; init; } = true;

    /// <summary>Path-style addressing; null means on for a custom endpoint, off for AWS.</summary>
    public bool? PathStyle { get; init; }

    public TierMode Mode { get; init; } = TierMode.ReadWrite;

    /// <summary>Deadline of one S3 request (a HEAD, a GET range, one uploaded part).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Multipart part size and download range size.</summary>
    public int PartSize { get; init; } = 8 << 20;

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Bucket) && Mode != TierMode.Off;
}
