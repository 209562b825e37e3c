using CacheFarm.Client.BuildScripts;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tests.BuildScripts;

public sealed class OutDirTreeTests
{
    [Fact]
    public void Texts_naming_the_checkout_are_stored_with_placeholders_and_binaries_make_the_entry_path_keyed()
    {
        using var dir = new TempDirectory("cf-outdir");
        var outDir = Directory.CreateDirectory(dir.Combine("target", "out")).FullName;
        var roots = new CheckoutRoots(dir.Path, [new PathRoot(CheckoutRoots.Workspace, dir.Path), new PathRoot(CheckoutRoots.OutDir, outDir)]);
        File.WriteAllText(Path.Combine(outDir, "flags.make"), $"C_INCLUDES = -I{dir.Path}/csrc\n");
        Directory.CreateDirectory(Path.Combine(outDir, "empty"));

        var texts = OutDirTree.Read(outDir, roots);
        Assert.False(texts.EmbedsRoot);
        Assert.True(Assert.Single(texts.Files).Normalized);
        Assert.Equal(["empty"], texts.Directories);

        File.WriteAllBytes(Path.Combine(outDir, "lib.o"), [0x7f, (byte)'E', 0, .. System.Text.Encoding.UTF8.GetBytes(dir.Path + "/csrc/a.c")]);
        Assert.True(OutDirTree.Read(outDir, roots).EmbedsRoot);
    }

    [Fact]
    public void A_symlink_in_out_dir_is_refused()
    {
        using var dir = new TempDirectory("cf-outdir");
        var outDir = Directory.CreateDirectory(dir.Combine("out")).FullName;
        File.CreateSymbolicLink(Path.Combine(outDir, "link"), "/etc/hostname");

        Assert.Equal("a symlink in OUT_DIR", OutDirTree.Read(outDir, new CheckoutRoots(dir.Path, [])).Problem);
    }

    [Fact]
    public void Only_a_missing_or_empty_out_dir_counts_as_clean()
    {
        using var dir = new TempDirectory("cf-outdir");
        Assert.True(OutDirTree.IsEmpty(dir.Combine("absent")));
        Assert.True(OutDirTree.IsEmpty(dir.Path));
        File.WriteAllText(dir.Combine("leftover"), "x");
        Assert.False(OutDirTree.IsEmpty(dir.Path));
    }
}
