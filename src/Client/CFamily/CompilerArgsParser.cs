using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// Reads a gcc or clang command line (response files already expanded): a compile of one source with <c>-c</c>
/// or <c>-S</c> is cacheable; links, preprocessing, dependency listings, several sources, unsupported languages
/// and configure probes are passed through, each with the reason the stats count.
/// </summary>
public static class CompilerArgsParser
{
    // Options whose value is the next argument; without this list a value such as `-D X` would read as a source.
    private static readonly HashSet<string> SeparateValueOptions = new(StringComparer.Ordinal)
    {
        "-o", "-x", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-iprefix",
        "-iwithprefix", "-iwithprefixbefore", "-isysroot", "-imultilib", "-MF", "-MT", "-MQ", "-L", "-l",
        "-Xpreprocessor", "-Xassembler", "-Xlinker", "-Xclang", "-aux-info", "--param", "-T", "-u", "-z", "-e",
        "-arch", "-target", "--target", "--sysroot", "-B", "-include-pch", "-ivfsoverlay", "-gcc-toolchain", "-MJ",
        "-dumpdir", "-dumpbase", "-dumpbase-ext", "-specs", "--include", "--output",
    };

    private static readonly Dictionary<string, string> LanguageByExtension = new(StringComparer.Ordinal)
    {
        [".c"] = "c", [".i"] = "cpp-output", [".h"] = "c-header",
        [".cc"] = "c++", [".cp"] = "c++", [".cxx"] = "c++", [".cpp"] = "c++", [".CPP"] = "c++", [".c++"] = "c++", [".C"] = "c++",
        [".ii"] = "c++-cpp-output",
        [".hh"] = "c++-header", [".H"] = "c++-header", [".hp"] = "c++-header", [".hxx"] = "c++-header", [".hpp"] = "c++-header",
        [".HPP"] = "c++-header", [".h++"] = "c++-header", [".tcc"] = "c++-header",
        [".s"] = "assembler", [".S"] = "assembler-with-cpp", [".sx"] = "assembler-with-cpp",
    };

    private static readonly HashSet<string> LinkerInputExtensions = new(StringComparer.Ordinal) { ".o", ".a", ".so", ".lo", ".obj" };

    private static readonly HashSet<string> SupportedLanguages = [.. LanguageByExtension.Values];

    public static (CompilerArgs? Args, CompileClassification Verdict) Parse(IReadOnlyList<string> args)
    {
        string? language = null;
        string? output = null;
        string? depFile = null;
        bool compile = false, assembly = false, preprocess = false, dependenciesOnly = false, syntaxOnly = false, stdin = false, linkerInput = false;
        var sources = new List<(string Path, string? Language)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var value = SeparateValueOptions.Contains(arg) && i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "-c":
                    compile = true;
                    continue;
                case "-S":
                    assembly = true;
                    continue;
                case "-E":
                    preprocess = true;
                    continue;
                case "-M" or "-MM":
                    dependenciesOnly = true;
                    continue;
                case "-fsyntax-only":
                    syntaxOnly = true;
                    continue;
                case "-":
                    stdin = true;
                    continue;
                case "-o" or "--output":
                    output = value;
                    continue;
                case "-x":
                    language = value is null or "none" ? null : value;
                    continue;
                case "-MF":
                    depFile = value;
                    continue;
            }
            if (value is not null || (arg.StartsWith('-') && arg.Length > 1))
            {
                if (arg.StartsWith("-o", StringComparison.Ordinal) && arg.Length > 2 && value is null)
                {
                    output = arg[2..];
                }
                else if (arg.StartsWith("-x", StringComparison.Ordinal) && value is null)
                {
                    language = arg[2..] is "none" ? null : arg[2..];
                }
                else if (arg.StartsWith("-MF", StringComparison.Ordinal) && value is null)
                {
                    depFile = arg[3..];
                }
                else if (arg.StartsWith("-Wp,-MD,", StringComparison.Ordinal) || arg.StartsWith("-Wp,-MMD,", StringComparison.Ordinal))
                {
                    depFile = arg[(arg.IndexOf(',', 4) + 1)..];
                }
                continue;
            }
            var extension = Path.GetExtension(arg);
            if (language is null && LinkerInputExtensions.Contains(extension))
            {
                linkerInput = true;
                continue;
            }
            sources.Add((arg, language ?? LanguageByExtension.GetValueOrDefault(extension)));
        }
        if (preprocess || dependenciesOnly)
        {
            return (null, CompileClassification.NotCompilation(preprocess ? "preprocessor output" : "dependency listing only"));
        }
        if (syntaxOnly)
        {
            return (null, CompileClassification.NotCompilation("syntax check only"));
        }
        // A header given alone is precompiled (to a .gch or .pch) without -c, as gcc and clang take it.
        var precompilesHeader = sources.Count == 1 && !linkerInput && sources[0].Language?.EndsWith("-header", StringComparison.Ordinal) == true;
        if (!compile && !assembly && !precompilesHeader)
        {
            return (null, CompileClassification.NotCompilation(sources.Count + (linkerInput ? 1 : 0) == 0 && !stdin ? "no input file" : "link"));
        }
        if (stdin)
        {
            return (null, CompileClassification.NotCacheable("source from stdin"));
        }
        if (sources.Count != 1 || linkerInput)
        {
            return (null, CompileClassification.NotCacheable(sources.Count == 0 ? "no input file" : "multiple input files"));
        }
        var (source, sourceLanguage) = sources[0];
        if (sourceLanguage is null || !SupportedLanguages.Contains(sourceLanguage))
        {
            return (null, CompileClassification.NotCacheable("unsupported language " + (sourceLanguage ?? Path.GetExtension(source))));
        }
        // autoconf's probes compile a fresh conftest.c each time: storing them only fills the cache.
        if (Path.GetFileName(source).StartsWith("conftest.", StringComparison.Ordinal))
        {
            return (null, CompileClassification.NotCacheable("configure probe"));
        }
        if (output is null && sourceLanguage.EndsWith("-header", StringComparison.Ordinal))
        {
            return (null, CompileClassification.NotCacheable("precompiled header without -o"));
        }
        var objectPath = output ?? Path.ChangeExtension(Path.GetFileName(source), assembly ? ".s" : ".o");
        return (new CompilerArgs(source, sourceLanguage, objectPath, depFile), CompileClassification.Cacheable);
    }
}
