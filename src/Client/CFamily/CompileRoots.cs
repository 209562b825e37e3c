using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// The checkout roots of a C or C++ compile, which keys and stored outputs are written relative to: inside a
/// build script's run, the run's own roots (the maps its compiler shims get); otherwise the directories in CACHEFARM_BASEDIR (colon-separated, as ccache's base_dir), or else the deepest directory
/// holding both the working directory and the source (a CMake build tree beside its sources), when that is a
/// project's directory and not a system one. Without a root, paths stay absolute: no hits across checkouts,
/// never a wrong one.
/// </summary>
public static class CompileRoots
{
    public const string BaseDirVariable = "CACHEFARM_BASEDIR";

    public const string BaseName = "base";

    private static readonly string[] SystemTrees = ["/usr", "/etc", "/opt", "/proc", "/sys", "/dev", "/run", "/var/lib"];

    public static CheckoutRoots Detect(string workingDirectory, string source, Func<string, string?> env)
    {
        var cwd = CheckoutRoots.Absolute(workingDirectory, workingDirectory);
        if (CompilerPathRemap.RootsFromMaps(env(CompilerMasquerade.PrefixMapsVariable)) is { Count: > 0 } scriptRoots)
        {
            return new CheckoutRoots(cwd, scriptRoots);
        }
        if (env(BaseDirVariable) is { Length: > 0 } baseDirs)
        {
            var dirs = baseDirs.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Path.IsPathRooted).Select(d => CheckoutRoots.Absolute(d, cwd));
            return new CheckoutRoots(cwd, dirs.Select((d, i) => new PathRoot(i == 0 ? BaseName : BaseName + (i + 1), d)));
        }
        var common = CommonDirectory(cwd, CheckoutRoots.Absolute(source, cwd));
        var depth = common.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        var usable = depth >= 2 && !SystemTrees.Any(t => common == t || common.StartsWith(t + "/", StringComparison.Ordinal))
            && common != env("HOME")?.TrimEnd('/');
        return new CheckoutRoots(cwd, usable ? [new PathRoot(CheckoutRoots.Workspace, common)] : []);
    }

    private static string CommonDirectory(string directory, string file)
    {
        var a = directory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var b = (Path.GetDirectoryName(file) ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }
        return "/" + string.Join('/', a.Take(n));
    }
}
