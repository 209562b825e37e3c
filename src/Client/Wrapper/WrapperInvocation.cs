using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Reports.Recording;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Wrapper;

/// <summary>One call of the wrapper: the real rustc, its arguments as given and as parsed, and the environment it runs in.</summary>
public sealed class WrapperInvocation
{
    public required string RustcPath { get; init; }

    /// <summary>The toolchain identity of <see cref="RustcPath"/>, shared with the linker plan so it is resolved once.</summary>
    public required ToolchainLookup Toolchain { get; init; }

    /// <summary>The arguments after the compiler, exactly as cargo passed them (argfiles not expanded).</summary>
    public required IReadOnlyList<string> OriginalArgs { get; init; }

    public required RustcArgs Args { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required WrapperSettings Settings { get; init; }

    /// <summary>Where temporary dep-info files go (inside the data directory, never in the build tree).</summary>
    public required string ScratchDirectory { get; init; }

    /// <summary>The stamps this call has read, shared by the key, the lookup and the build report.</summary>
    public required FileStamps Stamps { get; init; }

    /// <summary>Build-report details and the link plan (shim arguments and environment for the rustc run).</summary>
    public ReportContext? Report { get; init; }

    /// <summary>Names the build unit in the log: package/crate, plus /test for a test harness.</summary>
    public string Unit => $"{Env("CARGO_PKG_NAME")}/{Args.CrateName}{(Args.Test ? "/test" : "")}";

    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;
}
