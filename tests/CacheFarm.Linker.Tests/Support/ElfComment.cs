using CacheFarm.TestSupport;
namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// Which linker wrote an ELF binary, from its .comment section (<c>readelf -p .comment</c>): mold writes "mold 1.10.1",
/// lld "Linker: [Debian] LLD 14.0.6", rustc's rust-lld "Linker: LLD 22.1.2"; GNU ld (bfd) writes neither.
/// </summary>
public static class ElfComment
{
    public static async Task<string> LinkerOfAsync(string binary)
    {
        var comment = await TextAsync(binary);
        if (comment.Contains("mold ", StringComparison.Ordinal))
        {
            return "mold";
        }
        var systemLld = (await ProcessRun.RunAsync(RustToolchain.Require("ld.lld", "lld"), ["--version"], "/", new Dictionary<string, string?>())).Stdout.Split(" (compatible", 2)[0].Trim();
        if (comment.Contains("Linker: " + systemLld, StringComparison.Ordinal))
        {
            return "lld";
        }
        return comment.Contains("Linker: LLD", StringComparison.Ordinal) ? "rust-lld" : "bfd";
    }

    public static async Task<string> TextAsync(string binary) =>
        (await ProcessRun.RunAsync(RustToolchain.Require("readelf", "binutils"), ["-p", ".comment", binary], "/", new Dictionary<string, string?>())).Succeeded("readelf " + binary).Stdout;
}
