namespace CacheFarm.Client.CFamily;

/// <summary>
/// Whether a compile's preprocessed text decides its outputs, so that preprocessor mode may serve it, and the
/// command line that prints that text. The text keeps tokens and line numbers but not where on a line a token
/// stood, what a comment said or which macro a token came from, so anything that can tell those apart is out:
/// warnings (some read comments, some are skipped inside macros, one measures indentation), debug info,
/// sanitizers, coverage notes, LTO bytecode, verbose assembly. So are precompiled headers and modules (they keep
/// the macros themselves), and options and variables that would make the preprocessor run write a file.
/// </summary>
public static class PreprocessorModeGate
{
    private static readonly string[] ColumnRecordingPrefixes =
    [
        "-g", "--debug", "-fsanitize", "-fprofile-", "--coverage", "-ftest-coverage", "-fcondition-coverage", "-flto",
        "-fverbose-asm", "-fstack-usage", "-fcallgraph-info", "-fopt-info", "-fsave-optimization-record",
        "-foptimization-record", "-Rpass",
    ];

    private static readonly string[] UnseenOptionPrefixes =
    [
        "-save-temps", "-MJ", "-ftime-trace", "-fdump-", "-Wp,", "-Xpreprocessor", "-Xclang", "--write-", "-fdiagnostics-format",
        "-fdiagnostics-add-output", "-fmodule", "-fplugin", "-emit-", "--precompile", "--config", "-specs", "--specs", "-Werror=", "@",
    ];

    // Variables that make the compiler write a file, or add options the gate cannot see.
    private static readonly string[] UnseenVariables =
    [
        "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES", "CC_PRINT_HEADERS_FILE", "CC_LOG_DIAGNOSTICS_FILE", "CC_PRINT_OPTIONS_FILE",
        "CC_PRINT_PROC_STAT_FILE", "CCC_OVERRIDE_OPTIONS",
    ];

    // Dependency outputs the compile writes; the preprocessor run writes its own list to a file of cachefarm's.
    private static readonly HashSet<string> DependencyFlags = new(StringComparer.Ordinal) { "-MD", "-MMD", "-MP", "-MG" };

    private static readonly HashSet<string> DependencyFlagsWithValue = new(StringComparer.Ordinal) { "-MF", "-MT", "-MQ" };

    /// <summary>Null when the preprocessed text decides the outputs of this compile (arguments expanded); else why not.</summary>
    public static string? WhyNot(IReadOnlyList<string> args, string language, Func<string, string?> env)
    {
        if (language.EndsWith("-header", StringComparison.Ordinal))
        {
            return "a precompiled header keeps macros";
        }
        if (Array.Find(UnseenVariables, v => env(v) is not null) is { } variable)
        {
            return variable + " is set";
        }
        var warningsOff = false;
        foreach (var arg in args)
        {
            if (arg is "-g0" or "-gcc-toolchain" || arg.StartsWith("-fno-", StringComparison.Ordinal) || arg.StartsWith("-gz", StringComparison.Ordinal))
            {
                continue;
            }
            if (Array.Find(ColumnRecordingPrefixes, p => arg.StartsWith(p, StringComparison.Ordinal)) is { } recording)
            {
                return recording + " records source columns";
            }
            if (Array.Find(UnseenOptionPrefixes, p => arg.StartsWith(p, StringComparison.Ordinal)) is { } unseen)
            {
                return unseen + " acts beyond the text";
            }
            // -d… and -P change what -E prints (only macros, no line markers) but not the compile, or put columns in -S output.
            if (arg == "-P" || (arg.StartsWith("-d", StringComparison.Ordinal) && !arg.StartsWith("-dump", StringComparison.Ordinal)))
            {
                return arg + " changes the printed text";
            }
            warningsOff |= arg == "-w";
        }
        return warningsOff ? null : "warnings are on (no -w)";
    }

    /// <summary>The arguments that print the compile's preprocessed text to stdout and its input files to <paramref name="depFile"/>.</summary>
    public static List<string> PreprocessArgs(IReadOnlyList<string> args, string depFile)
    {
        var result = new List<string>(args.Count + 6);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-o" or "--output" || DependencyFlagsWithValue.Contains(arg))
            {
                i++;
                continue;
            }
            if (arg is "-c" or "-S" || DependencyFlags.Contains(arg) || arg.StartsWith("--output=", StringComparison.Ordinal)
                || (arg.Length > 3 && DependencyFlagsWithValue.Contains(arg[..3])) || (arg.Length > 2 && arg.StartsWith("-o", StringComparison.Ordinal)))
            {
                continue;
            }
            result.Add(arg);
        }
        result.AddRange(["-E", "-MD", "-MF", depFile, "-MT", "cachefarm-preprocessed"]);
        return result;
    }
}
