using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// One run of a build script as cargo started it: the real binary, its arguments, the environment cargo gave
/// it, OUT_DIR, and the checkout roots that keep its key and outputs independent of where the checkout lives
/// (the cargo target directory, OUT_DIR, the directory holding the target directory, the registry a
/// dependency was unpacked in, cargo home, and the compiler shims, which CMake writes into its cache).
/// </summary>
public sealed class BuildScriptCall
{
    public required string Binary { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string OutDir { get; init; }

    public required CheckoutRoots Roots { get; init; }

    /// <summary>The compiler shim directory the run gets first on PATH, when there is one.</summary>
    public string? CompilerShims { get; init; }

    public string WorkingDirectory => Roots.WorkingDirectory;

    public string Package => Env("CARGO_PKG_NAME") ?? "";

    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>The call, or null when cargo did not give it an absolute OUT_DIR.</summary>
    public static BuildScriptCall? Create(
        string binary, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory, string? compilerShims)
    {
        if (!environment.TryGetValue("OUT_DIR", out var outDir) || !Path.IsPathRooted(outDir))
        {
            return null;
        }
        outDir = CheckoutRoots.Absolute(outDir, workingDirectory);
        var cwd = CheckoutRoots.Absolute(workingDirectory, workingDirectory);
        var roots = new List<PathRoot> { new(CheckoutRoots.OutDir, outDir) };
        // OUT_DIR is <target>/[<triple>/]<profile>/build/<package>-<hash>/out.
        var build = Path.GetDirectoryName(Path.GetDirectoryName(outDir));
        var profile = build is not null && Path.GetFileName(build) == "build" ? Path.GetDirectoryName(build) : null;
        var target = profile is null ? null : Path.GetDirectoryName(profile);
        if (target is not null && environment.TryGetValue("TARGET", out var triple) && Path.GetFileName(target) == triple
            && !File.Exists(Path.Combine(target, "CACHEDIR.TAG")))
        {
            target = Path.GetDirectoryName(target);
        }
        if (target is not null)
        {
            roots.Add(new PathRoot(CheckoutRoots.TargetDir, target));
            // The target directory's parent is where cargo runs (PWD), and usually the workspace.
            var workspace = Path.GetDirectoryName(target);
            if (workspace is not null && workspace != "/")
            {
                roots.Add(new PathRoot(CheckoutRoots.Workspace, workspace));
            }
        }
        if (CheckoutRoots.RegistryOf(cwd, environment.GetValueOrDefault) is { } registry)
        {
            roots.Add(new PathRoot(CheckoutRoots.Registry, registry));
        }
        var cargoHome = environment.GetValueOrDefault("CARGO_HOME") is { Length: > 0 } home ? home
            : environment.GetValueOrDefault("HOME") is { Length: > 0 } h ? Path.Combine(h, ".cargo") : null;
        if (cargoHome is not null && Path.IsPathRooted(cargoHome))
        {
            roots.Add(new PathRoot(CheckoutRoots.CargoHome, CheckoutRoots.Absolute(cargoHome, cwd)));
        }
        if (compilerShims is not null)
        {
            roots.Add(new PathRoot(CheckoutRoots.CompilerShims, compilerShims));
        }
        return new BuildScriptCall
        {
            CompilerShims = compilerShims,
            Binary = binary,
            Args = args,
            Environment = environment,
            OutDir = outDir,
            Roots = new CheckoutRoots(cwd, roots),
        };
    }
}
