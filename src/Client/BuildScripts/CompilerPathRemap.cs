using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// What rustc's <c>--remap-path-prefix</c> does for Rust code, done for the C and C++ compilers a build script
/// runs: <c>-ffile-prefix-map</c> for each checkout root, appended to CFLAGS and CXXFLAGS (which cc-rs, the
/// cmake crate and make all honour), so objects compiled in one checkout are byte-identical in another.
/// </summary>
public static class CompilerPathRemap
{
    private static readonly string[] FlagVariables = ["CFLAGS", "CXXFLAGS"];

    /// <summary>The variables to override for the script's run: the user's flags (if any) first, then the prefix maps.</summary>
    public static Dictionary<string, string> Variables(CheckoutRoots roots, IReadOnlyDictionary<string, string> environment)
    {
        // GCC and clang apply the last matching map: shortest root first, so nested roots win over their parents.
        var maps = string.Join(' ', roots.Roots.OrderBy(r => r.Path.Length).Select(r => $"-ffile-prefix-map={r.Path}={r.RemappedTo}"));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in FlagVariables)
        {
            result[name] = environment.TryGetValue(name, out var user) && user.Length > 0 ? user + " " + maps : maps;
        }
        return result;
    }

    /// <summary>False when a root's path has a space: the flag variables are split on spaces.</summary>
    public static bool Applies(CheckoutRoots roots) => roots.Roots.All(r => !r.Path.Contains(' ', StringComparison.Ordinal));
}
