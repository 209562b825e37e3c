using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>
/// C and C++ compiles through the published cachefarm against a real daemon and the real gcc and clang: every
/// cached result is compared with what the compiler writes on its own for the same command line.
/// </summary>
public sealed class CFamilyCacheTests
{
    private static async Task CompileAllAsync(CProject project, Func<string, Task<ProcessRun>> compile)
    {
        foreach (var source in CProject.Sources)
        {
            (await compile(source)).Succeeded("compiling " + source);
        }
    }

    private static void AssertSameOutputs(Dictionary<string, byte[]> want, Dictionary<string, byte[]> got, string what)
    {
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (var (name, bytes) in want)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(got[name]), $"{what}: {name} differs from the uncached compile's");
        }
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("g++")]
    [InlineData("clang")]
    public async Task Warm_compiles_write_what_the_compiler_writes_in_this_checkout_and_in_another(string compiler)
    {
        using var dir = new TempDirectory("cf-c");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var first = CProject.Create(dir.Combine("first"));
        await CompileAllAsync(first, s => first.UncachedAsync(compiler, CProject.CompileArgs(s)));
        var uncached = first.Outputs();
        Assert.Equal(6, uncached.Count);

        first.Clean();
        await CompileAllAsync(first, s => first.CachedAsync(daemon, log, compiler, CProject.CompileArgs(s)));
        AssertSameOutputs(uncached, first.Outputs(), "cold");
        first.Clean();
        await CompileAllAsync(first, s => first.CachedAsync(daemon, log, compiler, CProject.CompileArgs(s)));
        AssertSameOutputs(uncached, first.Outputs(), "warm");

        var second = CProject.Create(dir.Combine("another", "place"));
        await CompileAllAsync(second, s => second.UncachedAsync(compiler, CProject.CompileArgs(s)));
        var uncachedSecond = second.Outputs();
        second.Clean();
        await CompileAllAsync(second, s => second.CachedAsync(daemon, log, compiler, CProject.CompileArgs(s)));
        AssertSameOutputs(uncachedSecond, second.Outputs(), "warm in another checkout");

        var entries = WrapperLogEntry.ReadAll(log);
        Assert.Equal(["miss", "miss", "miss", "hit", "hit", "hit", "hit", "hit", "hit"], entries.Select(e => e.Outcome));
        (await second.UncachedAsync(compiler, ["main.o", "util.o", "other.o", "-o", "prog"])).Succeeded("link");
        var run = (await ProcessRun.RunAsync(Path.Combine(second.Build, "prog"), [], second.Build, new Dictionary<string, string?>())).Succeeded("prog");
        Assert.Equal("hello 42 3\n", run.Stdout);
        var stats = await daemon.StatsAsync();
        Assert.Equal(6, stats.HitsByLanguage["C/C++"]);
        Assert.Equal(3, stats.MissesByLanguage["C/C++"]);
    }

    [Fact]
    public async Task A_hit_replays_the_warnings_and_a_failed_compile_is_not_stored()
    {
        using var dir = new TempDirectory("cf-c");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        project.Write("src/warn.c", "int unused_warning(void) { int x; return 1; }\n");
        string[] args = ["-Wall", "-c", "../src/warn.c", "-o", "warn.o"];
        var uncached = (await project.UncachedAsync("gcc", args)).Succeeded("uncached");
        Assert.Contains("unused variable", uncached.Stderr, StringComparison.Ordinal);
        var cold = (await project.CachedAsync(daemon, log, "gcc", args)).Succeeded("cold");
        var warm = (await project.CachedAsync(daemon, log, "gcc", args)).Succeeded("warm");
        Assert.Equal(uncached.Stderr, cold.Stderr);
        Assert.Equal(uncached.Stderr, warm.Stderr);

        string[] failing = ["-Wall", "-Werror", "-c", "../src/warn.c", "-o", "warn.o"];
        var want = await project.UncachedAsync("gcc", failing);
        var first = await project.CachedAsync(daemon, log, "gcc", failing);
        var second = await project.CachedAsync(daemon, log, "gcc", failing);
        Assert.NotEqual(0, want.ExitCode);
        Assert.Equal(want.ExitCode, first.ExitCode);
        Assert.Equal(want.ExitCode, second.ExitCode);
        Assert.Equal(want.Stderr, second.Stderr);
        Assert.Equal(["miss", "hit", "miss", "miss"], WrapperLogEntry.ReadAll(log).Select(e => e.Outcome));
    }

    [Theory]
    [InlineData("-gsplit-dwarf", "util.dwo")]
    [InlineData("--coverage", "util.gcno")]
    public async Task Files_written_beside_the_object_are_restored_with_it(string flag, string beside)
    {
        using var dir = new TempDirectory("cf-c");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        var args = CProject.CompileArgs("util", "-g", flag);
        (await project.CachedAsync(daemon, log, "gcc", args)).Succeeded("cold");
        var cold = project.Outputs(beside);
        Assert.Contains(beside, cold.Keys);
        project.Clean();
        (await project.CachedAsync(daemon, log, "gcc", args)).Succeeded("warm");
        AssertSameOutputs(cold, project.Outputs(beside), "warm");
        Assert.Equal("hit", WrapperLogEntry.ReadAll(log)[^1].Outcome);
    }

    [Fact]
    public async Task Debug_info_names_the_mapped_root_so_another_checkout_hits()
    {
        using var dir = new TempDirectory("cf-c");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var first = CProject.Create(dir.Combine("first"));
        var second = CProject.Create(dir.Combine("second", "deeper"));
        var args = CProject.CompileArgs("util", "-g");
        (await first.CachedAsync(daemon, log, "gcc", args)).Succeeded("first");
        (await second.CachedAsync(daemon, log, "gcc", args)).Succeeded("second");
        var object1 = System.Text.Encoding.Latin1.GetString(first.Outputs()["util.o"]);
        Assert.DoesNotContain(first.Checkout, object1, StringComparison.Ordinal);
        Assert.Contains("/cachefarm/ws", object1, StringComparison.Ordinal);
        Assert.Equal(first.Outputs()["util.o"], second.Outputs()["util.o"]);
        Assert.Equal(["miss", "hit"], WrapperLogEntry.ReadAll(log).Select(e => e.Outcome));
        // What the compiler writes with the same maps: the cache changed nothing else.
        File.Delete(Path.Combine(second.Build, "util.o"));
        (await second.UncachedAsync("gcc", [.. args, $"-ffile-prefix-map={second.Checkout}=/cachefarm/ws"])).Succeeded("uncached");
        Assert.Equal(first.Outputs()["util.o"], second.Outputs()["util.o"]);
    }

    [Fact]
    public async Task A_compile_through_a_precompiled_header_is_keyed_by_it_although_the_depfile_leaves_it_out()
    {
        using var dir = new TempDirectory("cf-c");
        await using var daemon = await WrapperDaemon.StartAsync();
        var log = dir.Combine("log");
        var project = CProject.Create(dir.Combine("ws"));
        // util.h comes first, so gcc takes build/util.h.gch (found through -I. before -I../include) in its place.
        project.Write("src/main.c", "#include \"util.h\"\n#include <stdio.h>\nint main(void) { printf(\"%s %d\\n\", GREETING, twice(21)); return 0; }\n");
        string[] header = ["-O1", "-x", "c-header", "../include/util.h", "-o", "util.h.gch"];
        string[] main = ["-O1", "-H", "-Winvalid-pch", "-I.", "-I../include", "-MD", "-MF", "main.o.d", "-c", "../src/main.c", "-o", "main.o"];
        async Task<ProcessRun> BuildAsync(Func<string[], Task<ProcessRun>> compile)
        {
            project.Clean();
            (await compile(header)).Succeeded("precompiling util.h");
            return (await compile(main)).Succeeded("compiling main.c");
        }
        Task<ProcessRun> Uncached(string[] args) => project.UncachedAsync("gcc", args);
        Task<ProcessRun> Cached(string[] args) => project.CachedAsync(daemon, log, "gcc", args);

        var uncached = await BuildAsync(Uncached);
        Assert.Contains("! ./util.h.gch", uncached.Stderr, StringComparison.Ordinal);
        var want = project.Outputs();
        Assert.DoesNotContain("util.h", System.Text.Encoding.UTF8.GetString(want["main.o.d"]), StringComparison.Ordinal);

        var cold = await BuildAsync(Cached);
        AssertSameOutputs(want, project.Outputs(), "cold");
        Assert.Equal(uncached.Stderr, cold.Stderr);
        var warm = await BuildAsync(Cached);
        AssertSameOutputs(want, project.Outputs(), "warm");
        Assert.Equal(uncached.Stderr, warm.Stderr);

        // A changed header changes only the .gch that main.c reads, never main.c nor its depfile's list.
        project.Write("include/util.h", CProject.Util.Replace("hello", "howdy", StringComparison.Ordinal));
        await BuildAsync(Uncached);
        var changed = project.Outputs();
        Assert.NotEqual(want["main.o"], changed["main.o"]);
        await BuildAsync(Cached);
        AssertSameOutputs(changed, project.Outputs(), "after the header changed");
        Assert.Equal(["miss", "miss", "hit", "hit", "miss", "miss"], WrapperLogEntry.ReadAll(log).Select(e => e.Outcome));
    }
}
