namespace CacheFarm.Client.Linker;

/// <summary>
/// One linker the selector can choose: its policy name, the name reports show, the rustc arguments that select it
/// (these enter the cache key) and the C-driver arguments that select it in a shadow link.
/// </summary>
public sealed record LinkerCandidate(string Name, string Display, IReadOnlyList<string> RustcArgs, IReadOnlyList<string> DriverArgs)
{
    public const string Default = "default";
    public const string Mold = "mold";
    public const string Lld = "lld";
    public const string Bfd = "bfd";

    /// <summary>The order auto prefers before it has measured anything (after rustc's own lld where that is the default).</summary>
    public static readonly string[] PriorOrder = [Mold, Lld, Default, Bfd];

    /// <summary>rustc's own choice: no arguments. Its shadow-link form recreates rustc's self-contained lld when that is the default.</summary>
    public static LinkerCandidate RustcDefault(ToolchainLinker toolchain) => toolchain.DefaultIsSelfContainedLld
        ? new(Default, "rust-lld", [], ["-B" + toolchain.GccLdDirectory, "-fuse-ld=lld"])
        : new(Default, "cc default", [], []);

    /// <summary>A linker the C driver selects with <c>-fuse-ld=NAME</c>; rustc's self-contained lld is switched off so it cannot win.</summary>
    public static LinkerCandidate ThroughDriver(string name) =>
        new(name, name, ["-C", "linker-features=-lld", "-C", "link-arg=-fuse-ld=" + name], ["-fuse-ld=" + name]);
}
