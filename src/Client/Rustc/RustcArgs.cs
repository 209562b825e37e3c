
namespace CacheFarm.Client.Rustc;

/// <summary>A rustc command line parsed into the parts that decide cacheability, the cache key and the outputs.</summary>
public sealed class RustcArgs
{
    /// <summary>Every option in order, canonicalised (<c>--codegen</c> becomes <c>-C</c>, <c>-vV</c> becomes <c>-v</c> and <c>-V</c>).</summary>
    public List<RustcOption> Options { get; } = [];

    public List<string> Inputs { get; } = [];

    public string? CrateName { get; set; }

    public List<string> CrateTypes { get; } = [];

    public List<EmitRequest> Emits { get; } = [];

    public string? OutDir { get; set; }

    public string? OutputFile { get; set; }

    public string? Target { get; set; }

    public string? Sysroot { get; set; }

    public string? ErrorFormat { get; set; }

    public List<ExternCrate> Externs { get; } = [];

    public List<LibrarySearchPath> SearchPaths { get; } = [];

    public List<NativeLibrary> NativeLibraries { get; } = [];

    /// <summary>The <c>-C name[=value]</c> options, names with '_' spelled '-'.</summary>
    public List<KeyValuePair<string, string?>> Codegen { get; } = [];

    public List<string> Prints { get; } = [];

    public bool Test { get; set; }

    public bool AsksVersion { get; set; }

    public bool AsksHelp { get; set; }

    public bool AsksExplain { get; set; }

    public bool AsksPrettyPrint { get; set; }

    /// <summary>Why the command line could not be parsed, or null.</summary>
    public string? ParseError { get; set; }

    public string? CodegenValue(string name)
    {
        for (var i = Codegen.Count - 1; i >= 0; i--)
        {
            if (Codegen[i].Key == name)
            {
                return Codegen[i].Value;
            }
        }
        return null;
    }

    public bool HasCodegen(string name) => Codegen.Exists(c => c.Key == name);

    public string ExtraFilename => CodegenValue("extra-filename") ?? "";

    /// <summary>The file name stem of every output: crate name plus <c>-C extra-filename</c> (for a call with an input).</summary>
    public string OutputStem => (CrateName ?? Path.GetFileNameWithoutExtension(Inputs[0]).Replace('-', '_')) + ExtraFilename;

    /// <summary>The emit kinds asked for; rustc's default is <c>link</c>.</summary>
    public IEnumerable<string> EmitKinds => Emits.Count == 0 ? ["link"] : Emits.Select(e => e.Kind);

    public bool EmitsKind(string kind) => EmitKinds.Contains(kind);

    /// <summary>A build script or a proc-macro: a program linked once per clean build, only to run during the build.</summary>
    public bool IsBuildTool =>
        CrateName?.StartsWith("build_script_", StringComparison.Ordinal) == true || CrateTypes.Contains("proc-macro");

    /// <summary>True when rustc will run a linker: a bin, test harness, dylib, cdylib or proc-macro with <c>link</c> emitted.</summary>
    public bool Links =>
        EmitsKind("link") && (Test || CrateTypes.Count == 0 || CrateTypes.Exists(t => t is "bin" or "dylib" or "cdylib" or "proc-macro"));
}
