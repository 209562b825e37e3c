namespace CacheFarm.Client.Linker;

/// <summary>What a rustc toolchain links with by default: rustc's self-contained lld (x86_64 Linux since 1.90) or the C driver's own linker.</summary>
public sealed record ToolchainLinker
{
    public required string Sysroot { get; init; }

    /// <summary>The sysroot's gcc-ld directory (holding the ld.lld that runs rust-lld), or empty.</summary>
    public string GccLdDirectory { get; init; } = "";

    public StampedFile? RustLld { get; init; }

    public string RustLldVersion { get; init; } = "";

    public bool DefaultIsSelfContainedLld { get; init; }
}
