using System.Text;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// Which variables of a build script's environment enter its key. Those cargo sets for the script are keyed up
/// front (first level); any other variable counts only once the tracer saw the script or one of its programs
/// read it. A short list that only steers scheduling or program lookup never counts: the job count and the
/// jobserver (so -j1 hits what -j2 stored), PATH (the programs found through it are keyed by content), the
/// temp directory, the preload and cachefarm's own settings.
/// </summary>
public static class BuildScriptEnvironment
{
    public static readonly IReadOnlySet<string> Unkeyed = new HashSet<string>(StringComparer.Ordinal)
    {
        "NUM_JOBS", "CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CARGO_BUILD_JOBS", "JOBS",
        "PATH", "TMPDIR", "TMP", "TEMP", "LD_PRELOAD",
    };

    private static readonly string[] CargoSetNames =
    [
        "OUT_DIR", "TARGET", "HOST", "OPT_LEVEL", "DEBUG", "PROFILE", "RUSTC", "RUSTDOC", "RUSTC_LINKER", "CARGO",
        "CARGO_ENCODED_RUSTFLAGS", "CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "CARGO_MANIFEST_LINKS",
    ];

    private static readonly string[] CargoSetPrefixes = ["CARGO_CFG_", "CARGO_FEATURE_", "CARGO_PKG_", "DEP_"];

    public static bool IsUnkeyed(string name) => Unkeyed.Contains(name) || name.StartsWith("CACHEFARM_", StringComparison.Ordinal);

    /// <summary>True for a variable cargo itself gives every build script (keyed whether read or not).</summary>
    public static bool IsCargoSet(string name) =>
        Array.IndexOf(CargoSetNames, name) >= 0 || CargoSetPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The cargo-set variables, sorted, with checkout paths in their values made relative to the roots.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FirstLevel(IReadOnlyDictionary<string, string> environment, CheckoutRoots roots) =>
        environment.Where(v => IsCargoSet(v.Key) && !IsUnkeyed(v.Key))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new KeyValuePair<string, string>(v.Key, Normalize(v.Value, roots)));

    /// <summary>A traced read of a variable as it enters a manifest: the value the script started with (null when unset), paths normalised.</summary>
    public static string? TracedValue(IReadOnlyDictionary<string, string> environment, string name, CheckoutRoots roots) =>
        environment.TryGetValue(name, out var value) ? Normalize(value, roots) : null;

    private static string Normalize(string value, CheckoutRoots roots) =>
        Encoding.UTF8.GetString(roots.NormalizeText(Encoding.UTF8.GetBytes(value)));
}
