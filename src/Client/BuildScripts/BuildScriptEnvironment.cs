using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// Which variables of a build script's environment enter its key. Those cargo sets for the script are keyed up
/// front (first level); any other variable counts only once the tracer saw the script or one of its programs
/// read it (see <see cref="TracedVariables"/>, which also lists the variables that never count).
/// </summary>
public static class BuildScriptEnvironment
{
    private static readonly string[] CargoSetNames =
    [
        "OUT_DIR", "TARGET", "HOST", "OPT_LEVEL", "DEBUG", "PROFILE", "RUSTC", "RUSTDOC", "RUSTC_LINKER", "CARGO",
        "CARGO_ENCODED_RUSTFLAGS", "CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "CARGO_MANIFEST_LINKS",
    ];

    private static readonly string[] CargoSetPrefixes = ["CARGO_CFG_", "CARGO_FEATURE_", "CARGO_PKG_", "DEP_"];

    /// <summary>True for a variable cargo itself gives every build script (keyed whether read or not).</summary>
    public static bool IsCargoSet(string name) =>
        Array.IndexOf(CargoSetNames, name) >= 0 || CargoSetPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The cargo-set variables, sorted, with checkout paths in their values made relative to the roots.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FirstLevel(IReadOnlyDictionary<string, string> environment, CheckoutRoots roots) =>
        environment.Where(v => IsCargoSet(v.Key) && !TracedVariables.IsUnkeyed(v.Key))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new KeyValuePair<string, string>(v.Key, TracedVariables.Normalize(v.Value, roots)));
}
