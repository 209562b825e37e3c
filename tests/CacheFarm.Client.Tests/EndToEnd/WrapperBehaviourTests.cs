using System.Net;
using System.Net.Sockets;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>How the wrapper behaves around the cache itself: tests, incremental builds, switches, stats and a cache that fails.</summary>
public sealed class WrapperBehaviourTests(RustFixtureBuilds builds) : IClassFixture<RustFixtureBuilds>
{
    [Fact]
    public async Task Test_harnesses_are_cached_and_still_pass_when_restored()
    {
        var first = await CargoBuild.RunAsync(builds.FreshCopy("test-one"), builds.Daemon, RustFixtureBuilds.NonIncremental, "test");
        var second = await CargoBuild.RunAsync(builds.FreshCopy("test-two"), builds.Daemon, RustFixtureBuilds.NonIncremental, "test");

        Assert.Contains("fixapp/fixapp/test", first.Units("miss"));
        Assert.Contains("genlib/describe/test", first.Units("miss"));
        Assert.Empty(second.Units("miss"));
        Assert.Contains("genlib/genlib/test", second.Units("hit"));
        Assert.Contains("seed_total_is_the_sum_of_the_seed_file ... ok", second.Run.Stdout);
        Assert.Contains("describe_mentions_the_greeting ... ok", second.Run.Stdout);
        Assert.Contains("the_macro_answers_forty_two ... ok", second.Run.Stdout);
    }

    [Fact]
    public async Task Cargo_check_is_cached()
    {
        await CargoBuild.RunAsync(builds.FreshCopy("check-one"), builds.Daemon, RustFixtureBuilds.NonIncremental, "check");
        var second = await CargoBuild.RunAsync(builds.FreshCopy("check-two"), builds.Daemon, RustFixtureBuilds.NonIncremental, "check");

        Assert.Contains("genlib/genlib", second.Units("hit"));
        Assert.Contains("fixapp/fixapp", second.Units("hit"));
        Assert.Empty(second.Units("miss"));
    }

    [Fact]
    public async Task Incremental_compiles_pass_through_unless_enabled()
    {
        var plain = await CargoBuild.RunAsync(builds.FreshCopy("incremental-off"), builds.Daemon, new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = null });
        var enabled = new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = null, ["CACHEFARM_CACHE_INCREMENTAL"] = "1" };
        await CargoBuild.RunAsync(builds.FreshCopy("incremental-on-1"), builds.Daemon, enabled);
        var cached = await CargoBuild.RunAsync(builds.FreshCopy("incremental-on-2"), builds.Daemon, enabled);

        Assert.Equal(RustFixtureBuilds.AllUnits, plain.Calls.Where(c => c.Reason == "incremental").Select(c => c.Unit).Order(StringComparer.Ordinal));
        Assert.Equal(RustFixtureBuilds.AllUnits, cached.Units("hit"));
    }

    [Fact]
    public async Task Recache_compiles_and_stores_again_and_no_cache_bypasses_the_cache()
    {
        var recache = await CargoBuild.RunAsync(builds.FreshCopy("recache"), builds.Daemon, new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0", ["SCCACHE_RECACHE"] = "1" });
        var bypassDir = builds.FreshCopy("no-cache");
        var bypass = await CargoBuild.RunAsync(bypassDir, builds.Daemon, new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0", ["CACHEFARM_NO_CACHE"] = "1" });

        Assert.Equal(RustFixtureBuilds.AllUnits, recache.Units("miss"));
        Assert.NotEmpty(bypass.Calls);
        Assert.All(bypass.Calls, c => Assert.Equal("CACHEFARM_NO_CACHE", c.Reason));
        Assert.Contains("answer=42", await ProgramOutput.OfFixtureAsync(bypassDir));
    }

    [Fact]
    public async Task Every_call_is_recorded_in_the_daemons_stats()
    {
        var before = await builds.Daemon.StatsAsync();
        var build = await CargoBuild.RunAsync(builds.FreshCopy("stats"), builds.Daemon, RustFixtureBuilds.NonIncremental);
        var after = await builds.Daemon.StatsAsync();

        Assert.Equal(build.Calls.Count(c => c.Outcome == "hit"), after.CacheHits - before.CacheHits);
        Assert.Equal(build.Calls.Count, after.CompileRequests - before.CompileRequests);
        Assert.True(after.TotalSavedUs > before.TotalSavedUs, "hits should add the compile time they saved");
        Assert.True(after.NonCacheableReasons.GetValueOrDefault("missing input") > before.NonCacheableReasons.GetValueOrDefault("missing input"));
    }

    [Fact]
    public async Task An_unreachable_daemon_never_fails_the_build()
    {
        var env = new Dictionary<string, string?>(RustFixtureBuilds.NonIncremental) { ["CACHEFARM_ENDPOINT"] = "http://127.0.0.1:" + FreePort() };
        var dir = builds.FreshCopy("unreachable");

        var build = await CargoBuild.RunAsync(dir, builds.Daemon, env);

        Assert.Equal(RustFixtureBuilds.AllUnits, build.Units("cache-error"));
        Assert.Contains("answer=42", await ProgramOutput.OfFixtureAsync(dir));
    }

    [Fact]
    public async Task A_daemon_that_does_not_answer_costs_one_short_timeout_per_compile_and_never_fails_the_build()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var env = new Dictionary<string, string?>(RustFixtureBuilds.NonIncremental)
        {
            ["CACHEFARM_ENDPOINT"] = "http://127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port,
            ["CACHEFARM_LOOKUP_TIMEOUT_MS"] = "300",
        };
        var dir = builds.FreshCopy("silent");

        var build = await CargoBuild.RunAsync(dir, builds.Daemon, env);

        Assert.Equal(RustFixtureBuilds.AllUnits, build.Units("cache-error"));
        Assert.All(build.Calls.Where(c => c.Outcome == "cache-error"), c => Assert.Contains("timed out", c.Reason));
        Assert.Contains("answer=42", await ProgramOutput.OfFixtureAsync(dir));
    }

    [Fact]
    public async Task A_local_daemon_that_stopped_answering_costs_one_short_timeout_per_compile_and_never_fails_the_build()
    {
        await using var daemon = await WrapperDaemon.StartAsync();
        var pid = (await daemon.DaemonStatsAsync()).Pid;
        var env = new Dictionary<string, string?>(RustFixtureBuilds.NonIncremental) { ["CACHEFARM_LOOKUP_TIMEOUT_MS"] = "300" };
        var dir = builds.FreshCopy("stopped-local");

        BuildReport build;
        await using (await StoppedProcess.StopAsync(pid))
        {
            build = await CargoBuild.RunAsync(dir, daemon, env);
        }

        // The fast path's blocking calls end at the deadline too: no call waits on the stopped daemon for longer.
        Assert.Equal(RustFixtureBuilds.AllUnits, build.Units("cache-error"));
        Assert.All(build.Calls.Where(c => c.Outcome == "cache-error"), c => Assert.Contains("timed out after 0.3 s", c.Reason));
        Assert.Contains("answer=42", await ProgramOutput.OfFixtureAsync(dir));
    }

    [Fact]
    public async Task A_compile_error_is_replayed_with_its_exit_code()
    {
        var first = builds.FreshCopy("broken-one");
        var second = builds.FreshCopy("broken-two");
        foreach (var dir in new[] { first, second })
        {
            File.AppendAllText(Path.Combine(dir, "fixcdylib/src/lib.rs"), "\npub fn broken() -> u32 { \"not a number\" }\n");
        }
        var log = Path.Combine(second, "wrapper.log");
        var env = new Dictionary<string, string?>(builds.Daemon.Environment)
        {
            ["PATH"] = RustTools.SearchPath,
            ["RUSTC_WRAPPER"] = RepoPaths.ClientBinary,
            ["CARGO_INCREMENTAL"] = "0",
            ["CARGO_TERM_COLOR"] = "never",
        };

        var compiled = await ProcessRun.RunAsync(RustTools.Cargo, ["build", "-p", "fixcdylib"], first, env);
        env["CACHEFARM_LOG"] = log;
        var replayed = await ProcessRun.RunAsync(RustTools.Cargo, ["build", "-p", "fixcdylib"], second, env);

        Assert.NotEqual(0, compiled.ExitCode);
        Assert.NotEqual(0, replayed.ExitCode);
        Assert.Contains("error[E0308]: mismatched types", compiled.Stderr);
        Assert.Contains("error[E0308]: mismatched types", replayed.Stderr);
        Assert.Contains(WrapperLogEntry.ReadAll(log), c => c.Unit == "fixcdylib/fixcdylib" && c.Outcome == "hit");
    }

    [Fact]
    public async Task A_link_killed_by_a_signal_is_not_stored_and_the_next_build_links()
    {
        var dir = builds.FreshCopy("killed-link");
        // The link of fixapp is killed the first time only, as the kernel's OOM killer would; the key stays the same
        // (probes such as --version, and the other crates' links, go through).
        var killedOnce = Path.Combine(dir, "killed-once");
        var linker = Path.Combine(dir, "killed-once-linker.sh");
        File.WriteAllText(linker, $"#!/bin/sh\ncase \"$*\" in *deps/fixapp-*) if [ ! -e '{killedOnce}' ]; then touch '{killedOnce}'; kill -9 $$; fi ;; esac\nexec cc \"$@\"\n");
        File.SetUnixFileMode(linker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var log = Path.Combine(dir, "wrapper.log");
        var env = new Dictionary<string, string?>(builds.Daemon.Environment)
        {
            ["PATH"] = RustTools.SearchPath,
            ["RUSTC_WRAPPER"] = RepoPaths.ClientBinary,
            ["CARGO_INCREMENTAL"] = "0",
            ["CARGO_TERM_COLOR"] = "never",
            ["CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER"] = linker,
            ["CACHEFARM_LOG"] = log,
        };

        var killed = await ProcessRun.RunAsync(RustTools.Cargo, ["build", "-p", "fixapp"], dir, env);
        var again = await ProcessRun.RunAsync(RustTools.Cargo, ["build", "-p", "fixapp"], dir, env);

        Assert.NotEqual(0, killed.ExitCode);
        Assert.Contains("signal: 9", killed.Stderr);
        Assert.True(again.ExitCode == 0, again.Stderr);
        var fixapp = WrapperLogEntry.ReadAll(log).Where(c => c.Unit == "fixapp/fixapp").ToList();
        Assert.Equal(["miss", "miss"], fixapp.Select(c => c.Outcome));
        Assert.StartsWith("not stored: a failure a rerun may not repeat", fixapp[0].Detail);
        Assert.Equal(await FixappOutputAsync(builds.UncachedDir), await FixappOutputAsync(dir));
    }

    private static async Task<string> FixappOutputAsync(string workspace) =>
        (await ProcessRun.RunAsync(Path.Combine(workspace, "target", "debug", "fixapp"), [], workspace, new Dictionary<string, string?>())).Stdout;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
