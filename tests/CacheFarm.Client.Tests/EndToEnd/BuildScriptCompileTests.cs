using CacheFarm.Client.Tests.Support;
using CacheFarm.TestSupport;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// The C compiles inside a build script's run (tests/fixtures/cc-fixture: cc-rs compiling two C files) go through
/// the cache: when the script reruns for a reason that leaves the C sources alone, its compiles hit; and the
/// script's own entry, stored from a run whose compiles hit, is still keyed by the headers they read. With a daemon
/// reached over TCP, the compiles' own connections to it do not make the script's run uncacheable.
/// </summary>
public sealed class BuildScriptCompileTests
{
    private static async Task<string> RunAsync(string workspace) =>
        (await ProcessRun.RunAsync(Path.Combine(workspace, "target", "debug", "cc-fixture"), [], workspace, new Dictionary<string, string?>())).Succeeded("cc-fixture").Stdout;

    // The runs' temp directory is kept apart from the daemon's data directory, as on a developer's machine.
    private string runTemp = Path.GetTempPath();

    private Dictionary<string, string?> Greeting(string text) => new() { ["FIXTURE_GREETING"] = text, ["TMPDIR"] = runTemp };

    [Fact]
    public async Task A_build_script_whose_compiles_reach_a_tcp_daemon_is_cached_and_replays_the_uncached_output()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry/cc-1.0.73"), "the fixture needs Debian's cc crate: run scripts/setup.sh");
        using var work = new TempDirectory("cf-ccfix-tcp");
        await using var daemon = await DaemonProcess.StartAsync(work.Combine("daemon"));
        runTemp = Directory.CreateDirectory(work.Combine("tmp")).FullName;
        var environment = new Dictionary<string, string?>(Greeting("hello"))
        {
            ["CACHEFARM_ENDPOINT"] = $"http://127.0.0.1:{daemon.Port}",
            ["CACHEFARM_DATA_DIR"] = work.Combine("client"),
            ["CACHEFARM_SOCKET"] = null,
            ["CACHEFARM_RECACHE"] = null,
            ["CACHEFARM_NO_CACHE"] = null,
            ["CACHEFARM_BUILD_ID"] = null,
        };
        var uncached = DirectoryCopy.Run(RepoPaths.CcFixture, work.Combine("uncached"));
        await CargoBuild.RunAsync(uncached, null, Greeting("hello"));

        var cached = DirectoryCopy.Run(RepoPaths.CcFixture, work.Combine("cached"));
        var cold = await CargoBuild.RunAsyncWithEnvironment(cached, environment);
        Assert.Equal(["miss"], cold.ScriptRuns.Select(r => r.Outcome));
        Assert.Equal(["offset.c miss", "scale.c miss"], cold.CCompiles.Select(c => $"{c.Crate} {c.Outcome}").Order());

        await CargoBuild.RunAsync(cached, null, null, "clean");
        var warm = await CargoBuild.RunAsyncWithEnvironment(cached, environment);
        Assert.Equal(["hit"], warm.ScriptRuns.Select(r => r.Outcome));
        Assert.Empty(warm.CCompiles);
        Assert.Equal(await RunAsync(uncached), await RunAsync(cached));
        Assert.Equal("hello 42 42\n", await RunAsync(cached));
    }

    [Fact]
    public async Task A_rerun_build_script_gets_its_c_objects_from_the_cache_and_stays_keyed_by_their_headers()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry/cc-1.0.73"), "the fixture needs Debian's cc crate: run scripts/setup.sh");
        using var work = new TempDirectory("cf-ccfix");
        await using var daemon = await WrapperDaemon.StartAsync();
        runTemp = Directory.CreateDirectory(work.Combine("tmp")).FullName;
        var uncached = DirectoryCopy.Run(RepoPaths.CcFixture, work.Combine("uncached"));
        await CargoBuild.RunAsync(uncached, null, Greeting("bonjour"));
        Assert.Equal("bonjour 42 42\n", await RunAsync(uncached));

        var cached = DirectoryCopy.Run(RepoPaths.CcFixture, work.Combine("cached"));
        var cold = await CargoBuild.RunAsync(cached, daemon, Greeting("hello"));
        Assert.Equal(["miss"], cold.ScriptRuns.Select(r => r.Outcome));
        Assert.Equal(["offset.c miss", "scale.c miss"], cold.CCompiles.Select(c => $"{c.Crate} {c.Outcome}").Order());
        Assert.Equal("hello 42 42\n", await RunAsync(cached));

        // Another greeting after a clean (a rerun into a full OUT_DIR is never cached): the script runs again, its C sources did not change.
        await CargoBuild.RunAsync(cached, null, null, "clean");
        var rerun = await CargoBuild.RunAsync(cached, daemon, Greeting("bonjour"));
        Assert.Equal(["miss"], rerun.ScriptRuns.Select(r => r.Outcome));
        Assert.Equal(["offset.c hit", "scale.c hit"], rerun.CCompiles.Select(c => $"{c.Crate} {c.Outcome}").Order());
        Assert.Equal("bonjour 42 42\n", await RunAsync(cached));
        var objects = Directory.EnumerateFiles(Path.Combine(cached, "target", "debug", "build"), "*.o", SearchOption.AllDirectories).ToList();
        Assert.Equal(2, objects.Count);

        // The header changes: the entry the rerun stored (its compiles were hits) must not serve, and the objects are new.
        File.WriteAllText(Path.Combine(cached, "csrc", "fixture.h"), File.ReadAllText(Path.Combine(cached, "csrc", "fixture.h")).Replace("FACTOR 3", "FACTOR 4", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(uncached, "csrc", "fixture.h"), File.ReadAllText(Path.Combine(cached, "csrc", "fixture.h")));
        await CargoBuild.RunAsync(cached, null, null, "clean");
        var edited = await CargoBuild.RunAsync(cached, daemon, Greeting("bonjour"));
        Assert.Equal(["miss"], edited.ScriptRuns.Select(r => r.Outcome));
        Assert.Equal(["offset.c miss", "scale.c miss"], edited.CCompiles.Select(c => $"{c.Crate} {c.Outcome}").Order());
        await CargoBuild.RunAsync(uncached, null, Greeting("bonjour"));
        Assert.Equal(await RunAsync(uncached), await RunAsync(cached));
        Assert.Equal("bonjour 56 43\n", await RunAsync(cached));

        // Back to the first greeting and header: the first run's entry serves, and nothing compiles.
        File.WriteAllText(Path.Combine(cached, "csrc", "fixture.h"), File.ReadAllText(Path.Combine(RepoPaths.CcFixture, "csrc", "fixture.h")));
        await CargoBuild.RunAsync(cached, null, null, "clean");
        var back = await CargoBuild.RunAsync(cached, daemon, Greeting("hello"));
        Assert.Equal(["hit"], back.ScriptRuns.Select(r => r.Outcome));
        Assert.Empty(back.CCompiles);
        Assert.Equal("hello 42 42\n", await RunAsync(cached));
    }
}
