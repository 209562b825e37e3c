using CacheFarm.Client.CFamily;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// What rustc's <c>--remap-path-prefix</c> does for Rust code, done for the C and C++ compilers a build script
/// runs: a <c>-ffile-prefix-map</c> per checkout root, added by the compiler shims (<see cref="CompilerMasquerade"/>)
/// that the run finds first on PATH, so objects compiled in one checkout are byte-identical in another.
/// </summary>
public static class CompilerPathRemap
{
    /// <summary>The variables to override for the script's run.</summary>
    public static Dictionary<string, string> Variables(CheckoutRoots roots, IReadOnlyDictionary<string, string> environment, string shimDirectory)
    {
        // GCC and clang apply the last matching map: shortest root first, so nested roots win over their parents.
        var maps = string.Join('\n', roots.Roots.OrderBy(r => r.Path.Length).Select(r => $"{r.Path}={r.RemappedTo}"));
        var path = environment.TryGetValue("PATH", out var user) && user.Length > 0 ? shimDirectory + ":" + user : shimDirectory;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = path,
            [CompilerMasquerade.PrefixMapsVariable] = maps,
        };
    }

    /// <summary>False when a root's path cannot be written as a map: the compilers split a map at its first '='.</summary>
    public static bool Applies(CheckoutRoots roots) => roots.Roots.All(r => !r.Path.Contains('=', StringComparison.Ordinal) && !r.Path.Contains('\n', StringComparison.Ordinal));
}
