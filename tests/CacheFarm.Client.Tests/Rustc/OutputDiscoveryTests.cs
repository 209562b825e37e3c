using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class OutputDiscoveryTests
{
    [Fact]
    public void Finds_the_files_named_after_the_crate_written_since_the_compile_started()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("libold-1.rlib"), "stale");
        File.SetLastWriteTimeUtc(dir.Combine("libold-1.rlib"), DateTime.UtcNow.AddHours(-1));
        var start = FileStamp.NowNs();
        foreach (var name in new[] { "libgenlib-1.rlib", "libgenlib-1.rmeta", "genlib-1.d", "genlib-1", "genlib-1.genlib.abc-cgu.0.rcgu.dwo", "genlib-10.d", "libgenlib-12.rlib", "other-1.d" })
        {
            File.WriteAllText(dir.Combine(name), name);
        }

        var found = OutputDiscovery.Find(dir.Path, "genlib-1", start).Select(Path.GetFileName);

        Assert.Equal(["genlib-1", "genlib-1.d", "genlib-1.genlib.abc-cgu.0.rcgu.dwo", "libgenlib-1.rlib", "libgenlib-1.rmeta"], found);
    }

    [Fact]
    public void Ignores_outputs_left_by_an_earlier_build()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("libgenlib-1.rlib"), "stale");
        File.SetLastWriteTimeUtc(dir.Combine("libgenlib-1.rlib"), DateTime.UtcNow.AddHours(-1));

        Assert.Empty(OutputDiscovery.Find(dir.Path, "genlib-1", FileStamp.NowNs()));
    }
}
