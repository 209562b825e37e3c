using System.Text;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>The fixture workspace through cachefarm with real cargo, rustc and cachefarmd.</summary>
public sealed class RustFixtureCacheTests(RustFixtureBuilds builds) : IClassFixture<RustFixtureBuilds>
{
    [Fact]
    public void A_cold_build_misses_and_stores_every_crate_including_bins_proc_macros_cdylibs_and_build_scripts()
    {
        Assert.Equal(RustFixtureBuilds.AllUnits, builds.Cold.Units("miss"));
        Assert.All(builds.Cold.Calls.Where(c => c.Outcome == "miss"), c => Assert.Matches("^[0-9a-f]{64}$", c.Detail));
    }

    [Fact]
    public void A_rebuild_after_cargo_clean_hits_every_crate()
    {
        Assert.Equal(RustFixtureBuilds.AllUnits, builds.WarmAfterClean.Units("hit"));
        Assert.Empty(builds.WarmAfterClean.Units("miss"));
    }

    [Fact]
    public void A_fresh_copy_in_another_directory_hits_every_crate()
    {
        Assert.Equal(RustFixtureBuilds.AllUnits, builds.OtherDirectory.Units("hit"));
        Assert.Empty(builds.OtherDirectory.Units("miss"));
        Assert.Empty(builds.OtherDirectory.Units("cache-error"));
    }

    [Fact]
    public async Task Programs_restored_from_the_cache_behave_like_uncached_ones()
    {
        var uncached = await ProgramOutput.OfFixtureAsync(builds.UncachedDir);

        Assert.Equal(uncached, await ProgramOutput.OfFixtureAsync(builds.OtherDir));
        Assert.Contains("hello from the fixture | flavor=vanilla | seed=12 | corners=4 | logo=10 bytes", uncached);
        Assert.Contains("exports: fixture_add", uncached);
    }

    [Fact]
    public async Task Restored_artifacts_equal_a_fresh_compile_in_the_same_place_byte_for_byte()
    {
        var recompiled = builds.FreshCopy("recompiled");
        var hits = builds.FreshCopy("restored");
        // One fixed linker for both builds: under auto, the recompile's shadow links may move the choice (and so the key) between them.
        await CargoBuild.RunAsync(recompiled, builds.Daemon, new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0", ["CACHEFARM_RECACHE"] = "1", ["CACHEFARM_LINKER"] = "rustc" });
        var restored = await CargoBuild.RunAsync(hits, builds.Daemon, new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0", ["CACHEFARM_LINKER"] = "rustc" });

        Assert.True(RustFixtureBuilds.AllUnits.SequenceEqual(restored.Units("hit")), restored.ToString());
        var debug = Path.Combine(recompiled, "target", "debug");
        var artifacts = Directory.GetFiles(Path.Combine(debug, "deps"))
            .Concat(Directory.GetFiles(Path.Combine(debug, "build"), "build_script_build-*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".d", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(recompiled, f))
            .ToList();
        // rlib, rmeta, proc-macro .so, cdylib .so, bin, build script (its real binary and the launcher in its place).
        Assert.Equal(7, artifacts.Count);
        foreach (var name in artifacts)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(recompiled, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(hits, name))),
                $"{name} differs between a compile and a restore");
        }
    }

    [Fact]
    public void Restored_dep_info_files_name_this_checkout_not_the_one_that_filled_the_cache()
    {
        var depInfo = Directory.GetFiles(Path.Combine(builds.OtherDir, "target", "debug", "deps"), "genlib-*.d").Single();
        var text = File.ReadAllText(depInfo);

        Assert.Contains(builds.OtherDir + "/target/debug/build/genlib-", text);
        Assert.DoesNotContain(builds.ColdDir, text);
    }

    [Fact]
    public void Replayed_json_artifact_notices_name_this_checkout()
    {
        // cargo copies bins out of deps/ using the paths in rustc's artifact notices; a wrong path fails the build.
        Assert.True(File.Exists(Path.Combine(builds.OtherDir, "target", "debug", "fixapp")));
        Assert.True(File.Exists(Path.Combine(builds.OtherDir, "target", "debug", "libfixcdylib.so")));
    }

    public static TheoryData<string, string[]> Changes => new()
    {
        { "included file", ["fixapp/fixapp", "genlib/genlib"] },
        { "included bytes", ["fixapp/fixapp", "genlib/genlib"] },
        { "#[path] module", ["fixapp/fixapp", "genlib/genlib"] },
        { "env! variable", ["fixapp/fixapp", "genlib/genlib"] },
        { "file the build script reads into OUT_DIR", ["fixapp/fixapp", "genlib/genlib"] },
        { "build script source", ["genlib/build_script_build"] },
        { "proc-macro dependency", ["fixapp/fixapp", "fixmacro/fixmacro"] },
        { "rustc flag of one crate", ["fixapp/fixapp"] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_change_misses_exactly_the_crates_it_affects_and_builds_what_an_uncached_build_builds(string change, string[] affected)
    {
        var name = new string([.. change.Where(char.IsLetterOrDigit)]);
        var cached = builds.FreshCopy("cached-" + name);
        var uncached = builds.FreshCopy("uncached-" + name);
        var env = new Dictionary<string, string?>(RustFixtureBuilds.NonIncremental);
        foreach (var dir in new[] { cached, uncached })
        {
            Apply(change, dir, env);
        }

        var report = await CargoBuild.RunAsync(cached, builds.Daemon, env);
        await CargoBuild.RunAsync(uncached, null, env);

        Assert.Equal(affected, report.Units("miss"));
        Assert.Equal(RustFixtureBuilds.AllUnits.Except(affected), report.Units("hit"));
        Assert.Equal(await ProgramOutput.OfFixtureAsync(uncached), await ProgramOutput.OfFixtureAsync(cached));
    }

    private static void Apply(string change, string dir, Dictionary<string, string?> env)
    {
        void Edit(string relative, Func<string, string> edit) => File.WriteAllText(Path.Combine(dir, relative), edit(File.ReadAllText(Path.Combine(dir, relative))));
        switch (change)
        {
            case "included file":
                Edit("genlib/data/greeting.txt", _ => "hello from a changed fixture\n");
                break;
            case "included bytes":
                File.WriteAllBytes(Path.Combine(dir, "genlib/data/logo.bin"), Encoding.ASCII.GetBytes("CFLOGO-LONGER"));
                break;
            case "#[path] module":
                Edit("genlib/extra/shapes.rs", s => s.Replace("    4", "    5", StringComparison.Ordinal));
                break;
            case "env! variable":
                env["FIXTURE_FLAVOR"] = "chocolate";
                break;
            case "file the build script reads into OUT_DIR":
                Edit("genlib/data/seed.txt", _ => "10 20 30\n");
                break;
            case "build script source":
                Edit("genlib/build.rs", s => s + "\n// A comment changes the build script, not what it writes.\n");
                break;
            case "proc-macro dependency":
                Edit("fixmacro/src/lib.rs", s => s.Replace("40 + 2", "40 + 3", StringComparison.Ordinal));
                break;
            case "rustc flag of one crate":
                Edit("Cargo.toml", s => s + "\n[profile.dev.package.fixapp]\nopt-level = 1\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }
}
