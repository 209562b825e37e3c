using CacheFarm.Protos.Wire;
using System.Globalization;
using System.Text.Json;
using CacheFarm.Daemon.Storage.Local;
using CacheFarm.Daemon.Storage.Remote;
using Tomlyn;
using Tomlyn.Model;

namespace CacheFarm.Daemon.Configuration;

/// <summary>Merges defaults, a TOML or JSON file, <c>CACHEFARM_*</c> variables and flags (later wins).</summary>
public static class DaemonSettingsLoader
{
    /// <summary>One setting: its file key, environment variable and flag (without the leading dashes).</summary>
    /// <remarks><paramref name="Aliases"/>: variables of other tools (sccache) read before <paramref name="Env"/>, which wins.</remarks>
    private sealed record Setting(string Key, string Env, string Flag, string Help, Func<DaemonSettings, string, DaemonSettings> Apply, params string[] Aliases);

    private static readonly Setting[] Settings =
    [
        new("data_dir", "CACHEFARM_DATA_DIR", "data-dir", "data directory (default ~/.cache/cachefarm)",
            (s, v) => s with { DataDirectory = Path.GetFullPath(v) }),
        new("capacity", "CACHEFARM_CAPACITY", "capacity", "local tier capacity, e.g. 5G (default 5G)",
            (s, v) => s with { Capacity = CapacitySize(v) }),
        new("listen", "CACHEFARM_LISTEN", "listen", "TCP endpoint host:port, or 'none' (default 127.0.0.1:4227)",
            (s, v) => s with { Listen = None(v) }),
        new("bulk_listen", "CACHEFARM_BULK_LISTEN", "bulk-listen", "TCP host:port for runners' bulk reads: raw blob streams, TLS and tokens as on the main listener (default none)",
            (s, v) => s with { BulkListen = None(v) }),
        new("socket", "CACHEFARM_SOCKET", "socket", "Unix socket path, or 'none' (default <data_dir>/cachefarmd.sock)",
            (s, v) => s with { Socket = None(v) is { } path ? Path.GetFullPath(path) : "none" }),
        new("checkpoint_interval_seconds", "CACHEFARM_CHECKPOINT_INTERVAL", "checkpoint-interval", "seconds between checkpoints (default 10)",
            (s, v) => s with { CheckpointInterval = TimeSpan.FromSeconds(Number(v, "checkpoint_interval_seconds", min: 1)) }),
        new("max_concurrent_writes", "CACHEFARM_MAX_CONCURRENT_WRITES", "max-concurrent-writes", "writers into the log at once (default 4)",
            (s, v) => s with { MaxConcurrentWrites = (int)Number(v, "max_concurrent_writes", min: 1) }),
        new("idle_timeout_seconds", "CACHEFARM_IDLE_TIMEOUT", "idle-timeout", "stop after this many idle seconds; 0 = never (default 0)",
            (s, v) => s with { IdleTimeout = TimeSpan.FromSeconds(Number(v, "idle_timeout_seconds", min: 0)) }),
        new("log_memory", "CACHEFARM_LOG_MEMORY", "log-memory", "in-memory part of the log, e.g. 128M (default: from capacity)",
            (s, v) => s with { LogMemory = Size(v, "log_memory") }),
        new("metrics_listen", "CACHEFARM_METRICS_LISTEN", "metrics-listen", "HTTP host:port for /metrics, /healthz, /readyz (default none)",
            (s, v) => s with { MetricsListen = None(v) }),
        new("log_format", "CACHEFARM_LOG_FORMAT", "log-format", "console log format: text or json (default text)",
            (s, v) => s with { LogFormat = v is "text" or "json" ? v : throw new SettingsException($"log_format: '{v}' is not text or json") }),
        new("access_log", "CACHEFARM_ACCESS_LOG", "access-log", "log one line per request: true or false (default false)",
            (s, v) => s with { AccessLog = bool.TryParse(v, out var on) ? on : throw new SettingsException($"access_log: '{v}' is not true or false") }),
        new("tokens_file", "CACHEFARM_TOKENS_FILE", "tokens-file", "TOML file of hashed bearer tokens with scopes and namespaces; every call then needs a token (default none)",
            (s, v) => s with { TokensFile = None(v) }),
        new("allow_unauthenticated", "CACHEFARM_ALLOW_UNAUTHENTICATED", "allow-unauthenticated", "listen on a non-loopback address without tokens: true or false (default false)",
            (s, v) => s with { AllowUnauthenticated = bool.TryParse(v, out var on) ? on : throw new SettingsException($"allow_unauthenticated: '{v}' is not true or false") }),
        new("tls_cert", "CACHEFARM_TLS_CERT", "tls-cert", "PEM certificate (chain) for TLS on the TCP listener (default none: h2c)",
            (s, v) => s with { TlsCertificate = None(v) }),
        new("tls_key", "CACHEFARM_TLS_KEY", "tls-key", "PEM private key of --tls-cert",
            (s, v) => s with { TlsKey = None(v) }),
        new("tls_client_ca", "CACHEFARM_TLS_CLIENT_CA", "tls-client-ca", "PEM CA certificate: require client certificates it issued (mutual TLS)",
            (s, v) => s with { TlsClientCa = None(v) }),
        new("stream_idle_timeout_seconds", "CACHEFARM_STREAM_IDLE_TIMEOUT", "stream-idle-timeout", "cut off an upload that sends nothing for this long (default 30)",
            (s, v) => s with { StreamIdleTimeout = TimeSpan.FromSeconds(Number(v, "stream_idle_timeout_seconds", min: 1)) }),
        new("redis", "CACHEFARM_REDIS", "redis", "Redis tier: redis://[user:pass@]host:port[/db] (rediss:// for TLS), or host:port[,host:port…][,password=…,ssl=true]; several endpoints = cluster (default none)",
            (s, v) => s with { Redis = s.Redis with { Endpoint = None(v) is { } e && RedisConnectionString.Problem(e) is { } problem ? throw new SettingsException($"redis: {problem}") : None(v) } },
            "SCCACHE_REDIS", "SCCACHE_REDIS_ENDPOINT", "SCCACHE_REDIS_CLUSTER_ENDPOINTS"),
        new("redis_username", "CACHEFARM_REDIS_USERNAME", "redis-username", "Redis ACL user, instead of one in the endpoint (default none)",
            (s, v) => s with { Redis = s.Redis with { User = None(v) } }, "SCCACHE_REDIS_USERNAME"),
        new("redis_password", "CACHEFARM_REDIS_PASSWORD", "redis-password", "Redis password, instead of one in the endpoint (default none)",
            (s, v) => s with { Redis = s.Redis with { Password = None(v) } }, "SCCACHE_REDIS_PASSWORD"),
        new("redis_ca", "CACHEFARM_REDIS_CA", "redis-ca", "PEM file of the CA that signs the Redis server's TLS certificate (default: the system's trust store)",
            (s, v) => s with { Redis = s.Redis with { CaFile = None(v) is { } ca ? ExistingFile(ca, "redis_ca") : null } }),
        new("redis_db", "CACHEFARM_REDIS_DB", "redis-db", "Redis database number (default 0)",
            (s, v) => s with { Redis = s.Redis with { Database = (int)Number(v, "redis_db", min: 0) } }, "SCCACHE_REDIS_DB"),
        new("redis_mode", "CACHEFARM_REDIS_MODE", "redis-mode", "Redis tier mode: read-write, read-only, write-only or off (default read-write)",
            (s, v) => s with { Redis = s.Redis with { Mode = Mode(v, "redis_mode") } }, "SCCACHE_REDIS_RW_MODE"),
        new("redis_ttl_seconds", "CACHEFARM_REDIS_TTL", "redis-ttl", "expiry of Redis keys in seconds, refreshed on every hit; 0 = none (default 0)",
            (s, v) => s with { Redis = s.Redis with { Ttl = Number(v, "redis_ttl_seconds", min: 0) is > 0 and var ttl ? TimeSpan.FromSeconds(ttl) : null } },
            "SCCACHE_REDIS_EXPIRATION", "SCCACHE_REDIS_TTL"),
        new("redis_max_blob_size", "CACHEFARM_REDIS_MAX_BLOB_SIZE", "redis-max-blob-size", "largest blob kept in Redis, e.g. 1M (default 1M)",
            (s, v) => s with { Redis = s.Redis with { MaxBlobSize = Size(v, "redis_max_blob_size") } }),
        new("redis_key_prefix", "CACHEFARM_REDIS_KEY_PREFIX", "redis-key-prefix", "prefix of every Redis key (default cachefarm)",
            (s, v) => s with { Redis = s.Redis with { KeyPrefix = v.Trim(':') } }, "SCCACHE_REDIS_KEY_PREFIX"),
        new("redis_timeout_ms", "CACHEFARM_REDIS_TIMEOUT_MS", "redis-timeout-ms", "deadline of one Redis command in ms (default 1000)",
            (s, v) => s with { Redis = s.Redis with { Timeout = TimeSpan.FromMilliseconds(Number(v, "redis_timeout_ms", min: 1)) } }),
        new("s3_bucket", "CACHEFARM_S3_BUCKET", "s3-bucket", "S3 tier bucket (default none)",
            (s, v) => s with { S3 = s.S3 with { Bucket = None(v) } }, "SCCACHE_BUCKET"),
        new("s3_endpoint", "CACHEFARM_S3_ENDPOINT", "s3-endpoint", "S3-compatible endpoint, URL or host:port (default: AWS)",
            (s, v) => s with { S3 = s.S3 with { Endpoint = None(v) } }, "SCCACHE_ENDPOINT"),
        new("s3_region", "CACHEFARM_S3_REGION", "s3-region", "S3 region (default: AWS_REGION or the AWS config file)",
            (s, v) => s with { S3 = s.S3 with { Region = None(v) } }, "SCCACHE_REGION"),
        new("s3_key_prefix", "CACHEFARM_S3_KEY_PREFIX", "s3-key-prefix", "prefix of every object key (default cachefarm)",
            (s, v) => s with { S3 = s.S3 with { KeyPrefix = v.Trim('/') } }, "SCCACHE_S3_KEY_PREFIX"),
        new("s3_use_ssl", "CACHEFARM_S3_USE_SSL", "s3-use-ssl", "https for an endpoint given without a scheme: true or false (default true)",
            (s, v) => s with { S3 = s.S3 with { UseSsl = Bool(v, "s3_use_ssl") } }, "SCCACHE_S3_USE_SSL"),
        new("s3_path_style", "CACHEFARM_S3_PATH_STYLE", "s3-path-style", "path-style addressing: true or false (default: true with an endpoint)",
            (s, v) => s with { S3 = s.S3 with { PathStyle = Bool(v, "s3_path_style") } }),
        new("s3_mode", "CACHEFARM_S3_MODE", "s3-mode", "S3 tier mode: read-write, read-only, write-only or off (default read-write)",
            (s, v) => s with { S3 = s.S3 with { Mode = Mode(v, "s3_mode") } }, "SCCACHE_S3_RW_MODE"),
        new("s3_timeout_ms", "CACHEFARM_S3_TIMEOUT_MS", "s3-timeout-ms", "deadline of one S3 request (HEAD, GET range, part) in ms (default 10000)",
            (s, v) => s with { S3 = s.S3 with { Timeout = TimeSpan.FromMilliseconds(Number(v, "s3_timeout_ms", min: 1)) } }),
        new("s3_part_size", "CACHEFARM_S3_PART_SIZE", "s3-part-size", "multipart part and download range size, at least 5M (default 8M)",
            (s, v) => s with { S3 = s.S3 with { PartSize = Size(v, "s3_part_size") is >= S3TierOptions.MinPartSize and <= int.MaxValue and var n ? (int)n : throw new SettingsException($"s3_part_size: '{v}' must be between 5M and 2G") } }),
        new("s3_access_key_id", "CACHEFARM_S3_ACCESS_KEY_ID", "s3-access-key-id", "S3 access key id (default: the AWS credential chain)",
            (s, v) => s with { S3 = s.S3 with { AccessKeyId = None(v) } }),
        new("s3_secret_access_key", "CACHEFARM_S3_SECRET_ACCESS_KEY", "s3-secret-access-key", "S3 secret access key (default: the AWS credential chain)",
            (s, v) => s with { S3 = s.S3 with { SecretAccessKey = None(v) } }),
        new("upstream", "CACHEFARM_UPSTREAM", "upstream", "shared cachefarmd behind the local tier: http://host:port or https://host:port (default none)",
            (s, v) => s with { Upstream = s.Upstream with { Endpoint = None(v) is { } e ? UpstreamAddress(e) : null } }),
        new("upstream_bulk", "CACHEFARM_UPSTREAM_BULK", "upstream-bulk", "host:port of the upstream's bulk_listen: reads go there as raw streams, with the upstream's TLS and token (default none: gRPC)",
            (s, v) => s with { Upstream = s.Upstream with { BulkEndpoint = None(v) is { } bulk ? BulkEndpointValue(bulk) : null } }),
        new("upstream_token", "CACHEFARM_UPSTREAM_TOKEN", "upstream-token", "bearer token for the upstream (default none)",
            (s, v) => s with { Upstream = s.Upstream with { Token = None(v) } }),
        new("upstream_token_file", "CACHEFARM_UPSTREAM_TOKEN_FILE", "upstream-token-file", "file holding the upstream's bearer token, instead of upstream_token (default none)",
            (s, v) => s with { Upstream = s.Upstream with { Token = None(v) is { } f ? File.ReadAllText(ExistingFile(f, "upstream_token_file")).Trim() : s.Upstream.Token } }),
        new("upstream_ca", "CACHEFARM_UPSTREAM_CA", "upstream-ca", "PEM file of the CA that signs the upstream's TLS certificate (default: the system's trust store)",
            (s, v) => s with { Upstream = s.Upstream with { CaFile = None(v) is { } ca ? ExistingFile(ca, "upstream_ca") : null } }),
        new("upstream_mode", "CACHEFARM_UPSTREAM_MODE", "upstream-mode", "upstream tier mode: read-write, read-only (for a read-only token), write-only or off (default read-write)",
            (s, v) => s with { Upstream = s.Upstream with { Mode = Mode(v, "upstream_mode") } }),
        new("upstream_timeout_ms", "CACHEFARM_UPSTREAM_TIMEOUT_MS", "upstream-timeout-ms", "deadline of one upstream call, and of each chunk of a stream, in ms (default 5000)",
            (s, v) => s with { Upstream = s.Upstream with { Timeout = TimeSpan.FromMilliseconds(Number(v, "upstream_timeout_ms", min: 1)) } }),
        new("upstream_max_blob_size", "CACHEFARM_UPSTREAM_MAX_BLOB_SIZE", "upstream-max-blob-size", "largest blob looked up and written upstream, e.g. 1G (default 5G)",
            (s, v) => s with { Upstream = s.Upstream with { MaxBlobSize = Size(v, "upstream_max_blob_size") } }),
        new("write_behind_queue", "CACHEFARM_WRITE_BEHIND_QUEUE", "write-behind-queue", "writes waiting per remote tier before new ones are dropped (default 4096)",
            (s, v) => s with { Tiers = s.Tiers with { WriteBehindQueue = (int)Number(v, "write_behind_queue", min: 1) } }),
        new("backfill", "CACHEFARM_BACKFILL", "backfill", "copy remote hits into the faster tiers: true or false (default true)",
            (s, v) => s with { Tiers = s.Tiers with { Backfill = Bool(v, "backfill") } }),
        new("existence_cache_seconds", "CACHEFARM_EXISTENCE_CACHE_SECONDS", "existence-cache-seconds", "how long a remote tier's 'blob present' is trusted; 0 = always ask (default 60)",
            (s, v) => s with { Tiers = s.Tiers with { ExistenceCacheTtl = TimeSpan.FromSeconds(Number(v, "existence_cache_seconds", min: 0)) } }),
        new("breaker_max_backoff_seconds", "CACHEFARM_BREAKER_MAX_BACKOFF", "breaker-max-backoff", "longest wait between probes of a failing remote tier in seconds (default 30)",
            (s, v) => s with { Tiers = s.Tiers with { BreakerMaxBackoff = TimeSpan.FromSeconds(Number(v, "breaker_max_backoff_seconds", min: 0.1)) } }),
    ];

    public static string Usage => "usage: cachefarmd [--config FILE] [--no-socket] [--no-tcp]\n"
        + string.Join('\n', Settings.Select(s => $"  --{s.Flag,-22} {s.Help}  [{string.Join(", ", [s.Env, .. s.Aliases])}; '{s.Key}' in the config file]"))
        + "\nconfig file: --config, CACHEFARM_CONFIG, or ~/.config/cachefarm/cachefarmd.toml (TOML or JSON)";

    /// <exception cref="SettingsException">A value, flag or file is invalid.</exception>
    public static DaemonSettings Load(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var flags = ParseFlags(args);
        var settings = new DaemonSettings { DataDirectory = DaemonSettings.DefaultDataDirectory(env) };
        var configFile = flags.GetValueOrDefault("config") ?? env("CACHEFARM_CONFIG") ?? DefaultConfigFile(env);
        if (configFile is not null)
        {
            foreach (var (key, value) in ReadFile(configFile))
            {
                var setting = Settings.FirstOrDefault(s => s.Key == key)
                    ?? throw new SettingsException($"{configFile}: unknown setting '{key}'");
                settings = setting.Apply(settings, value);
            }
        }
        foreach (var setting in Settings)
        {
            foreach (var alias in setting.Aliases)
            {
                if (env(alias) is { Length: > 0 } aliased)
                {
                    settings = setting.Apply(settings, aliased);
                }
            }
            if (env(setting.Env) is { Length: > 0 } value)
            {
                settings = setting.Apply(settings, value);
            }
        }
        foreach (var (flag, value) in flags)
        {
            if (flag is "config" or "no-socket" or "no-tcp")
            {
                continue;
            }
            var setting = Settings.FirstOrDefault(s => s.Flag == flag) ?? throw new SettingsException($"unknown flag --{flag}\n{Usage}");
            settings = setting.Apply(settings, value);
        }
        settings = settings with
        {
            Socket = flags.ContainsKey("no-socket") || settings.Socket == "none" ? null : settings.Socket ?? DaemonSettings.DefaultSocket(settings.DataDirectory),
            Listen = flags.ContainsKey("no-tcp") ? null : settings.Listen,
        };
        if (settings.Socket is null && settings.Listen is null)
        {
            throw new SettingsException("nothing to listen on: both the socket and TCP are disabled");
        }
        return settings;
    }

    private static Dictionary<string, string> ParseFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SettingsException($"unexpected argument '{arg}'\n{Usage}");
            }
            var name = arg[2..];
            if (name is "no-socket" or "no-tcp")
            {
                flags[name] = "true";
                continue;
            }
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                flags[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                flags[name] = args[++i];
            }
            else
            {
                throw new SettingsException($"--{name} needs a value");
            }
        }
        return flags;
    }

    private static string? DefaultConfigFile(Func<string, string?> env)
    {
        var configHome = env("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            configHome = Path.Combine(env("HOME") ?? "/", ".config");
        }
        var path = Path.Combine(configHome, "cachefarm", "cachefarmd.toml");
        return File.Exists(path) ? path : null;
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new SettingsException($"cannot read config file {path}: {e.Message}");
        }
        try
        {
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FlattenJson(text) : FlattenToml(text);
        }
        catch (Exception e) when (e is JsonException or TomlException)
        {
            throw new SettingsException($"config file {path} is invalid: {e.Message}");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> FlattenToml(string text)
    {
        var table = TomlSerializer.Deserialize<TomlTable>(text, (TomlSerializerOptions?)null) ?? new TomlTable();
        return table.Select(kv => KeyValuePair.Create(kv.Key, Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""));
    }

    private static IEnumerable<KeyValuePair<string, string>> FlattenJson(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
            .ToList();
    }

    private static string? None(string value) => value is "none" or "" ? null : value;

    private static Uri UpstreamAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0
            ? uri
            : throw new SettingsException($"upstream: '{value}' is not http://host:port or https://host:port");

    private static string BulkEndpointValue(string value)
    {
        try
        {
            BulkReadEndpoint.Parse(value, tls: false, caFile: null, token: null);
            return value;
        }
        catch (FormatException e)
        {
            throw new SettingsException($"upstream_bulk: {e.Message}");
        }
    }

    private static string ExistingFile(string value, string key) =>
        File.Exists(value) ? Path.GetFullPath(value) : throw new SettingsException($"{key}: no such file '{value}'");

    private static TierMode Mode(string value, string key) =>
        TierModeExtensions.TryParse(value, out var mode) ? mode : throw new SettingsException($"{key}: '{value}' is not read-write, read-only, write-only or off");

    private static bool Bool(string value, string key) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new SettingsException($"{key}: '{value}' is not true or false"),
    };

    private static long Size(string value, string key) =>
        ByteSize.TryParse(value, out var bytes) && bytes > 0 ? bytes : throw new SettingsException($"{key}: '{value}' is not a size (e.g. 512M, 5G)");

    private static long CapacitySize(string value) =>
        Size(value, "capacity") is var bytes && bytes >= LocalTierOptions.MinimumCapacity
            ? bytes
            : throw new SettingsException($"capacity: '{value}' is below the smallest local tier, {LocalTierOptions.MinimumCapacity >> 20}M");

    private static double Number(string value, string key, double min) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new SettingsException($"{key}: '{value}' is not a number >= {min}");
}

/// <summary>A configuration problem, reported to the user with exit code 2.</summary>
public sealed class SettingsException(string message) : Exception(message);
