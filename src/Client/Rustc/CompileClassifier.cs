using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// Decides whether a rustc call is cached. Unlike sccache, bins, dylibs, cdylibs, proc-macros, build scripts
/// and test harnesses are cached too; probes, stdin input, incremental builds (unless enabled) and emits the
/// cache cannot place are passed through.
/// </summary>
public static class CompileClassifier
{
    private static readonly string[] KnownCrateTypes = ["bin", "lib", "rlib", "staticlib", "dylib", "cdylib", "proc-macro"];
    private static readonly string[] CachedEmits = ["link", "metadata", "dep-info"];

    public static CompileClassification Classify(RustcArgs args, bool cacheIncremental)
    {
        if (args.ParseError is not null)
        {
            return CompileClassification.NotCacheable("argument parse");
        }
        if (args.AsksHelp || args.AsksExplain || args.AsksPrettyPrint)
        {
            return CompileClassification.NotCompilation(args.AsksExplain ? "--explain" : args.AsksHelp ? "--help" : "--unpretty");
        }
        if (args.Inputs.Count == 0)
        {
            // `rustc -vV`, `rustc --print cfg`: cargo's probes, counted as sccache counts them.
            return CompileClassification.NotCacheable("missing input");
        }
        if (args.Inputs.Contains("-"))
        {
            return CompileClassification.NotCacheable("-");
        }
        if (args.Inputs.Count > 1)
        {
            return CompileClassification.NotCacheable("multiple input files");
        }
        if (args.Prints.Count > 0 || args.AsksVersion)
        {
            return CompileClassification.NotCacheable("--print");
        }
        if (!args.EmitsKind("link") && !args.EmitsKind("metadata"))
        {
            return CompileClassification.NotCompilation("no link or metadata emit");
        }
        if (args.Emits.Exists(e => e.Path is not null || Array.IndexOf(CachedEmits, e.Kind) < 0))
        {
            return CompileClassification.NotCacheable("unsupported --emit");
        }
        if (args.OutputFile is not null)
        {
            return CompileClassification.NotCacheable("-o");
        }
        if (args.Sysroot is not null)
        {
            return CompileClassification.NotCacheable("--sysroot");
        }
        if (args.CrateTypes.Exists(t => Array.IndexOf(KnownCrateTypes, t) < 0))
        {
            return CompileClassification.NotCacheable("crate-type");
        }
        if (args.HasCodegen("incremental") && !cacheIncremental)
        {
            return CompileClassification.NotCacheable("incremental");
        }
        if (args.Target is { } target && target.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !File.Exists(target))
        {
            return CompileClassification.NotCacheable("target unsure");
        }
        return CompileClassification.Cacheable;
    }
}
