namespace CacheFarm.Client.BuildScripts;

/// <summary>The switches for build-script caching: on by default, off with CACHEFARM_CACHE_BUILD_SCRIPTS=0, and a list of packages never cached.</summary>
public static class BuildScriptSettings
{
    public static bool CacheBuildScripts(Func<string, string?> env) =>
        env("CACHEFARM_CACHE_BUILD_SCRIPTS") is not ("0" or "false" or "off" or "no");

    /// <summary>Packages whose scripts always run (CACHEFARM_UNCACHED_BUILD_SCRIPTS, comma- or space-separated names).</summary>
    public static IReadOnlySet<string> NeverCached(Func<string, string?> env) =>
        (env("CACHEFARM_UNCACHED_BUILD_SCRIPTS") ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
