using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>One cacheable rustc call with everything the key, the lookup and the store need to know about it.</summary>
public sealed class RustcCall
{
    public required string RustcPath { get; init; }

    public required RustcArgs Args { get; init; }

    public required CheckoutRoots Roots { get; init; }

    public required ToolchainIdentity Toolchain { get; init; }

    /// <summary>The process environment (name → value) rustc runs with.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string MemoDirectory { get; init; }

    public required FileDigestMemo Digests { get; init; }

    /// <summary>The stamps the call has read before rustc runs (see <see cref="FileStamps"/>).</summary>
    public FileStamps Stamps => Digests.Stamps;

    public bool RemapPaths { get; init; } = true;

    public string WorkingDirectory => Roots.WorkingDirectory;

    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>Where rustc writes outputs: <c>--out-dir</c>, else the working directory.</summary>
    public string OutputDirectory => OutputDirectoryOf(Args, WorkingDirectory);

    /// <summary>Where rustc run with <paramref name="args"/> from <paramref name="workingDirectory"/> writes its outputs.</summary>
    public static string OutputDirectoryOf(RustcArgs args, string workingDirectory) =>
        args.OutDir is { } dir ? CheckoutRoots.Absolute(dir, workingDirectory) : workingDirectory;

    /// <summary>The file name stem of every output: crate name plus <c>-C extra-filename</c>.</summary>
    public string OutputStem => Args.OutputStem;

    /// <summary>True when the call's --error-format makes stderr JSON (paths in it must be JSON-escaped).</summary>
    public bool JsonDiagnostics => Args.ErrorFormat == "json";
}
