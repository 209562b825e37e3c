using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// What a traced rustc miss read that its dep-info does not list: files and variables a proc-macro read behind
/// rustc's back (templates, offline query data, <c>std::env::var</c> in a derive), and the system files the linker
/// pulled in. They join the crate's manifest candidate. Left out, because something else keys them or they never
/// reach an output (docs/client.md lists them): what the run wrote itself; the toolchain's sysroot (the toolchain
/// identity); the crates rustc loads (<c>--extern</c>, the output and dependency directories, keyed by content
/// through the extern chain); cachefarm's data directory; the kernel's trees; and <see cref="IgnoredVariables"/>.
/// </summary>
public static class UnreportedReads
{
    /// <summary>
    /// Variables that steer logging, colours, locale, scheduling, temp files or program lookup (programs run are
    /// keyed by content), or that only the dynamic loader reads.
    /// </summary>
    public static readonly string[] IgnoredVariables =
    [
        "PATH", "HOME", "TMPDIR", "TMP", "TEMP", "PWD", "SHELL", "USER", "LOGNAME",
        "TERM", "COLUMNS", "LINES", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "GCC_COLORS", "LANG", "LANGUAGE",
        "CI", "RUST_BACKTRACE", "RUST_LIB_BACKTRACE", "RUST_MIN_STACK", "RUST_LOG", "RUSTC_ICE", "RUSTC_CTFE_BACKTRACE",
        "GCC_EXTRA_DIAGNOSTIC_OUTPUT", "VCINSTALLDIR", "QNX_TARGET",
        "CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS", "NUM_JOBS", "CARGO_BUILD_JOBS", "RAYON_NUM_THREADS",
        "COMPILER_PATH", "GCC_EXEC_PREFIX", "COLLECT_GCC", "COLLECT_GCC_OPTIONS", "COLLECT_LTO_WRAPPER", "COLLECT_NO_DEMANGLE",
    ];

    private static readonly string[] IgnoredVariablePrefixes = ["LC_", "LD_", "RUSTC_LOG", "CACHEFARM_", "GLIBC_", "MALLOC_"];

    /// <summary>The dep-info plus what the trace adds, or the reason the run cannot be stored.</summary>
    public static (DepInfoFile? DepInfo, string Refusal) Add(DepInfoFile depInfo, TraceLog log, RustcCall call, string dataDirectory)
    {
        if (log.Escapes.Count > 0)
        {
            return (null, "untraceable: " + log.Escapes[0]);
        }
        if (log.UsedNetwork)
        {
            return (null, "reads from the network");
        }
        var args = call.Args;
        var ignoredTrees = args.SearchPaths.Where(p => p.IsDependencyOnly).Select(p => CheckoutRoots.Absolute(p.Path, call.WorkingDirectory))
            .Append(call.OutputDirectory).Append(call.Toolchain.Sysroot).Append(dataDirectory)
            .Select(Path.GetFullPath).ToList();
        var traced = new TracedInputs(call.Roots, call.Digests, ignoredTrees, []);
        var known = depInfo.Files.Select(f => Path.GetFullPath(CheckoutRoots.Absolute(f, call.WorkingDirectory)))
            .Concat(args.Options.Where(o => o.Name == "--extern").Select(o => ExternCrate.Parse(o.Value ?? "").Path).OfType<string>().Select(p => Path.GetFullPath(CheckoutRoots.Absolute(p, call.WorkingDirectory))))
            .ToHashSet(StringComparer.Ordinal);
        var files = log.Read.Concat(log.Executed)
            .Where(p => !log.Written.Contains(p) && !known.Contains(p) && !traced.IsIgnored(p) && File.Exists(p))
            .Order(StringComparer.Ordinal);
        var reported = depInfo.EnvDeps.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var variables = log.Variables
            .Where(v => !reported.Contains(v) && !KeyedEnvironment.IsKeyed(v, args.Links) && !IsIgnored(v))
            .Order(StringComparer.Ordinal)
            .Select(v => new KeyValuePair<string, string?>(v, call.Env(v)));
        return (depInfo.With(files, variables), "");
    }

    public static bool IsIgnored(string variable) =>
        Array.IndexOf(IgnoredVariables, variable) >= 0 || IgnoredVariablePrefixes.Any(p => variable.StartsWith(p, StringComparison.Ordinal));
}
