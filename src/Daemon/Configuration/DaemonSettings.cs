using CacheFarm.Daemon.Storage.Local;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Upstream;
using CacheFarm.Daemon.Storage.Tiered;

namespace CacheFarm.Daemon.Configuration;

/// <summary>Everything cachefarmd is configured with, after file, environment and flags are merged.</summary>
public sealed record DaemonSettings
{
    public const int DefaultPort = 4227;

    public required string DataDirectory { get; init; }

    public long Capacity { get; init; } = LocalTierOptions.DefaultCapacity;

    /// <summary>TCP endpoint (host:port), or null for no TCP listener.</summary>
    public string? Listen { get; init; } = $"127.0.0.1:{DefaultPort}";

    /// <summary>TCP endpoint (host:port) of the bulk-read listener (<see cref="CacheFarm.Protos.Wire.BulkReadProtocol"/>), or null for none.</summary>
    public string? BulkListen { get; init; }

    /// <summary>Unix socket path, or null for no socket.</summary>
    public string? Socket { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxConcurrentWrites { get; init; } = 4;

    /// <summary>Stop after this long without requests; zero means never (the default for a daemon started by hand).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>In-memory part of the FASTER log; null sizes it from the capacity.</summary>
    public long? LogMemory { get; init; }

    /// <summary>HTTP endpoint for /metrics (Prometheus), /healthz and /readyz, or null for none.</summary>
    public string? MetricsListen { get; init; }

    /// <summary>Console log format: "text" or "json".</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Write one log line per RPC.</summary>
    public bool AccessLog { get; init; }

    /// <summary>Hashed bearer tokens; when set, every call (but health checks) needs one.</summary>
    public string? TokensFile { get; init; }

    /// <summary>Allow a non-loopback listener without tokens (otherwise the daemon refuses to start).</summary>
    public bool AllowUnauthenticated { get; init; }

    /// <summary>PEM certificate and key for TLS on the TCP listener.</summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>PEM CA whose client certificates are required (mutual TLS).</summary>
    public string? TlsClientCa { get; init; }

    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Redis tier; not configured by default.</summary>
    public RedisTierOptions Redis { get; init; } = new();

    /// <summary>The S3 tier; not configured by default.</summary>
    public S3TierOptions S3 { get; init; } = new();

    /// <summary>The upstream tier, a shared cachefarmd; not configured by default.</summary>
    public UpstreamTierOptions Upstream { get; init; } = new();

    /// <summary>Write-behind, backfill, existence cache and breaker of the tier chain (used only with a remote tier).</summary>
    public TieredStoreOptions Tiers { get; init; } = new();

    public string LocalTierDirectory => Path.Combine(DataDirectory, "local");

    /// <summary>Default data directory: <c>$XDG_CACHE_HOME/cachefarm</c> or <c>~/.cache/cachefarm</c>.</summary>
    public static string DefaultDataDirectory(Func<string, string?> env)
    {
        var cacheHome = env("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheHome))
        {
            cacheHome = Path.Combine(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cacheHome, "cachefarm");
    }

    /// <summary>Default socket: <c>cachefarmd.sock</c> in the data directory (mode 0600, directory 0700).</summary>
    public static string DefaultSocket(string dataDirectory) => Path.Combine(dataDirectory, "cachefarmd.sock");
}
