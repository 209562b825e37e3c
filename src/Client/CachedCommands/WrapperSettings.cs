using System.Globalization;
using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>The compile wrapper's switches, read from the environment (sccache's names are honoured too).</summary>
public sealed record WrapperSettings
{
    /// <summary>Compile and store even when the cache has the entry (CACHEFARM_RECACHE or SCCACHE_RECACHE).</summary>
    public bool Recache { get; init; }

    /// <summary>Bypass the cache entirely (CACHEFARM_NO_CACHE or SCCACHE_NO_CACHE).</summary>
    public bool NoCache { get; init; }

    /// <summary>Add --remap-path-prefix for the checkout roots and key paths relative to them (CACHEFARM_REMAP_PATHS, default on).</summary>
    public bool RemapPaths { get; init; } = true;

    /// <summary>Cache <c>-C incremental</c> compiles too (CACHEFARM_CACHE_INCREMENTAL=1).</summary>
    public bool CacheIncremental { get; init; }

    /// <summary>Longest wait for the lookup of a compile (entry and manifest reads, not the download).</summary>
    public TimeSpan LookupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for downloading a hit's outputs, or for storing a miss's.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>File to append one line per call to (CACHEFARM_LOG): outcome, crate, reason, times, key.</summary>
    public string? LogFile { get; init; }

    public string Namespace { get; init; } = "";

    public static WrapperSettings FromEnvironment(Func<string, string?> env) => new()
    {
        Recache = IsOn(env("CACHEFARM_RECACHE")) || IsOn(env("SCCACHE_RECACHE")),
        NoCache = IsOn(env("CACHEFARM_NO_CACHE")) || IsOn(env("SCCACHE_NO_CACHE")),
        RemapPaths = env("CACHEFARM_REMAP_PATHS") is not ("0" or "false" or "off" or "no"),
        CacheIncremental = env("CACHEFARM_CACHE_INCREMENTAL") is "1" or "true" or "on" or "yes",
        LookupTimeout = Milliseconds(env("CACHEFARM_LOOKUP_TIMEOUT_MS"), TimeSpan.FromSeconds(5)),
        TransferTimeout = Milliseconds(env("CACHEFARM_TRANSFER_TIMEOUT_MS"), TimeSpan.FromSeconds(60)),
        LogFile = env("CACHEFARM_LOG") is { Length: > 0 } log ? log : null,
        Namespace = env("CACHEFARM_NAMESPACE") ?? "",
    };

    // sccache treats a set variable as on; "0"/"false" read as off here, which is what people mean.
    private static bool IsOn(string? value) => value is { Length: > 0 } && value is not ("0" or "false" or "off" or "no");

    private static TimeSpan Milliseconds(string? value, TimeSpan fallback) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : fallback;
}
