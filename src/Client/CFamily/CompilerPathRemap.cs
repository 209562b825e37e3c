using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// What rustc's <c>--remap-path-prefix</c> does for Rust code, done for C and C++ compilers: a
/// <c>-ffile-prefix-map</c> per checkout root, so objects compiled in one checkout are byte-identical in another.
/// A wrapped compile gets the flags directly; a build script's run gets them through the compiler shims
/// (<see cref="CompilerMasquerade"/>) that it finds first on PATH.
/// </summary>
public static class CompilerPathRemap
{
    /// <summary>The maps as <c>old=new</c>, shortest root first: GCC and clang apply the last matching map, so nested roots win over their parents.</summary>
    public static IEnumerable<string> Maps(CheckoutRoots roots) =>
        roots.Roots.OrderBy(r => r.Path.Length).Select(r => $"{r.Path}={r.RemappedTo}");

    /// <summary>The roots a build script's run passed its compiles as maps (<see cref="Variables"/>); empty without maps.</summary>
    public static List<PathRoot> RootsFromMaps(string? maps)
    {
        var roots = new List<PathRoot>();
        foreach (var map in (maps ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = map.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && map[(eq + 1)..].StartsWith(PathRoot.RemapPrefix, StringComparison.Ordinal))
            {
                roots.Add(new PathRoot(map[(eq + 1 + PathRoot.RemapPrefix.Length)..], map[..eq]));
            }
        }
        return roots;
    }

    /// <summary>The flags for a compile the wrapper runs itself.</summary>
    public static List<string> Flags(CheckoutRoots roots) => Flags(Maps(roots));

    /// <summary>The flags for maps given as <c>old=new</c>.</summary>
    public static List<string> Flags(IEnumerable<string> maps) => [.. maps.Select(map => "-ffile-prefix-map=" + map)];

    /// <summary>The variables to override for a build script's run.</summary>
    public static Dictionary<string, string> Variables(CheckoutRoots roots, IReadOnlyDictionary<string, string> environment, string shimDirectory)
    {
        var path = environment.TryGetValue("PATH", out var user) && user.Length > 0 ? shimDirectory + ":" + user : shimDirectory;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = path,
            [CompilerMasquerade.PrefixMapsVariable] = string.Join('\n', Maps(roots)),
        };
    }

    /// <summary>False when a root's path cannot be written as a map: the compilers split a map at its first '='.</summary>
    public static bool Applies(CheckoutRoots roots) => roots.Roots.All(r => !r.Path.Contains('=', StringComparison.Ordinal) && !r.Path.Contains('\n', StringComparison.Ordinal));
}
