namespace CacheFarm.Client.Tests.Support;

/// <summary>
/// A small C project in a checkout of its own (sources, a header directory, a build directory beside them), and
/// its compiles run from the build directory either through the published cachefarm or straight with the compiler.
/// </summary>
public sealed class CProject
{
    public const string Util = "#ifndef UTIL_H\n#define UTIL_H\n#define GREETING \"hello\"\nint twice(int x);\n#endif\n";

    public const string Config = "#define SCALE 3\n";

    private CProject(string checkout) => Checkout = checkout;

    public string Checkout { get; }

    public string Build => Path.Combine(Checkout, "build");

    /// <summary>main.c and util.c include util.h; other.c includes only config.h.</summary>
    public static CProject Create(string checkout)
    {
        Directory.CreateDirectory(Path.Combine(checkout, "src"));
        Directory.CreateDirectory(Path.Combine(checkout, "include"));
        Directory.CreateDirectory(Path.Combine(checkout, "build"));
        var project = new CProject(checkout);
        project.Write("include/util.h", Util);
        project.Write("include/config.h", Config);
        project.Write("src/main.c", "#include <stdio.h>\n#include \"util.h\"\nint other(void);\nint main(void) { printf(\"%s %d %d\\n\", GREETING, twice(21), other()); return 0; }\n");
        project.Write("src/util.c", "#include \"util.h\"\n#include \"config.h\"\nint twice(int x) { return x * 2 * SCALE / SCALE; }\n");
        project.Write("src/other.c", "#include \"config.h\"\nint other(void) { return SCALE; }\n");
        return project;
    }

    public static IReadOnlyList<string> Sources { get; } = ["main", "util", "other"];

    public void Write(string relative, string text) => File.WriteAllText(Path.Combine(Checkout, relative), text);

    /// <summary>The arguments a build system gives the compiler for one source, run from the build directory.</summary>
    public static string[] CompileArgs(string source, params string[] extra) =>
        ["-O1", "-I../include", "-MD", "-MT", source + ".o", "-MF", source + ".o.d", .. extra, "-c", "../src/" + source + ".c", "-o", source + ".o"];

    /// <summary>Runs <c>cachefarm compiler args</c> from the build directory.</summary>
    public Task<ProcessRun> CachedAsync(WrapperDaemon daemon, string log, string compiler, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = daemon.Environment;
        env["CACHEFARM_LOG"] = log;
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }
        return ProcessRun.RunAsync(RepoPaths.ClientBinary, [compiler, .. args], Build, env);
    }

    /// <summary>Runs the compiler itself from the build directory: what an uncached build does.</summary>
    public Task<ProcessRun> UncachedAsync(string compiler, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? extra = null) =>
        ProcessRun.RunAsync(compiler, args, Build, extra ?? new Dictionary<string, string?>());

    /// <summary>Every object and depfile in the build directory, and any file whose name ends with one of <paramref name="alsoEndingWith"/>, by name.</summary>
    public Dictionary<string, byte[]> Outputs(params string[] alsoEndingWith) =>
        Directory.EnumerateFiles(Build)
            .Where(f => f.EndsWith(".o", StringComparison.Ordinal) || f.EndsWith(".d", StringComparison.Ordinal) || alsoEndingWith.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    public void Clean()
    {
        foreach (var file in Directory.EnumerateFiles(Build))
        {
            File.Delete(file);
        }
    }
}
