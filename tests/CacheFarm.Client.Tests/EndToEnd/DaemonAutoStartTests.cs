using System.Text.RegularExpressions;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

public sealed class DaemonAutoStartTests
{
    [Fact]
    public async Task A_build_starts_the_local_daemon_once_and_uses_it_from_the_first_compile()
    {
        using var data = new TempDirectory("cf-autostart");
        using var work = new TempDirectory("cf-autostart-ws");
        var env = BuildEnvironment(data.Path);
        var dir = DirectoryCopy.Run(RepoPaths.RustFixture, work.Combine("ws"));
        try
        {
            var build = await CargoBuild.RunAsyncWithEnvironment(dir, env);

            Assert.Empty(build.Units("cache-error"));
            Assert.Equal(RustFixtureBuilds.AllUnits, build.Units("miss"));
            Assert.True(File.Exists(Path.Combine(data.Path, "cachefarmd.sock")), "the daemon's socket should exist after the build");

            // Each miss was handed to the local daemon, which stored it after the wrapper had gone; a clean
            // rebuild started at once finds every one of them.
            using var local = new CacheFarm.Client.Connection.CacheClient(CacheFarm.Client.Connection.DaemonEndpoint.Parse("unix:" + Path.Combine(data.Path, "cachefarmd.sock")));
            var stats = await local.Admin.GetStatsAsync(default);
            Assert.Equal(RustFixtureBuilds.AllUnits.Length + build.ScriptRuns.Count(r => r.Outcome == "miss"), stats.Requests.DeferredStores);
            await CargoBuild.RunAsyncWithEnvironment(dir, env, "clean");
            var again = await CargoBuild.RunAsyncWithEnvironment(dir, env);
            Assert.Equal(RustFixtureBuilds.AllUnits, again.Units("hit"));
            Assert.Equal(0, (await local.Admin.GetStatsAsync(default)).Requests.DeferredStoreFailures);
        }
        finally
        {
            await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], data.Path, env);
        }
    }

    [Fact]
    public async Task A_started_daemon_leaves_the_callers_directory_and_watches_no_files_in_it()
    {
        using var data = new TempDirectory("cf-autostart-cwd");
        using var work = new TempDirectory("cf-autostart-caller");
        Directory.CreateDirectory(work.Combine("target/debug/deps"));
        var env = new Dictionary<string, string?>
        {
            ["CACHEFARM_DATA_DIR"] = data.Path,
            ["CACHEFARM_ENDPOINT"] = null,
            ["CACHEFARM_DAEMON"] = RepoPaths.DaemonBinary,
            ["CACHEFARM_IDLE_TIMEOUT"] = "60",
            ["DOTNET_TieredCompilation"] = null,
        };
        var start = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--start-server"], work.Path, env);
        try
        {
            Assert.True(start.ExitCode == 0, start.Stdout + start.Stderr);
            var log = File.ReadAllText(Path.Combine(data.Path, "cachefarmd.log"));
            var pid = Regex.Match(log, @"ready pid=(\d+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(pid), log);

            // A daemon kept in the caller's directory would keep a checkout busy and, watching it for
            // configuration changes, wake up for every file the build writes.
            Assert.Equal(data.Path, new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget);
            var descriptors = Directory.GetFiles($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "").ToList();
            Assert.DoesNotContain(descriptors, target => target.Contains("inotify", StringComparison.Ordinal));
            Assert.Contains("DOTNET_TieredCompilation=0", File.ReadAllText($"/proc/{pid}/environ").Split('\0'));
        }
        finally
        {
            await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], data.Path, env);
        }
    }

    [Fact]
    public async Task Removing_the_cache_directory_during_a_session_costs_one_cold_build_and_a_fresh_daemon_takes_over()
    {
        using var data = new TempDirectory("cf-autostart-rm");
        using var work = new TempDirectory("cf-autostart-rm-ws");
        var env = BuildEnvironment(data.Path);
        var dir = DirectoryCopy.Run(RepoPaths.RustFixture, work.Combine("ws"));
        try
        {
            await CargoBuild.RunAsyncWithEnvironment(dir, env);
            var first = DaemonPid(data.Path);
            Directory.Delete(data.Path, recursive: true);
            await CargoBuild.RunAsyncWithEnvironment(dir, env, "clean");

            // The cache is gone, so everything compiles again; the old daemon stopped instead of serving
            // from files no one can reach, and the client started a fresh one.
            var cold = await CargoBuild.RunAsyncWithEnvironment(dir, env);
            Assert.Empty(cold.Units("hit"));
            Assert.True(await ExitsWithinAsync(first, TimeSpan.FromSeconds(30)), "the daemon whose directory was removed should have stopped");
            await CargoBuild.RunAsyncWithEnvironment(dir, env, "clean");
            var warm = await CargoBuild.RunAsyncWithEnvironment(dir, env);
            Assert.Equal(RustFixtureBuilds.AllUnits, warm.Units("hit"));
            Assert.NotEqual(first, DaemonPid(data.Path));
        }
        finally
        {
            await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], data.Path, env);
        }
    }

    [Fact]
    public async Task Calls_with_nothing_to_look_up_start_one_daemon_without_waiting_for_it_and_their_records_still_count()
    {
        using var data = new TempDirectory("cf-autostart-probe");
        var env = BuildEnvironment(data.Path);
        var socket = Path.Combine(data.Path, "cachefarmd.sock");
        try
        {
            // Cargo's probes at the start of a build, four at once: rustc -vV reports, and asks nothing else.
            var probes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                ProcessRun.RunAsync(RepoPaths.ClientBinary, [RustTools.ToolchainRustc, "-vV"], data.Path, env)));
            Assert.All(probes, p => Assert.Equal(0, p.ExitCode));
            Assert.All(probes, p => Assert.StartsWith("rustc ", p.Stdout));

            // Every probe was back before the daemon they started could answer a call.
            using var local = new CacheFarm.Client.Connection.CacheClient(CacheFarm.Client.Connection.DaemonEndpoint.Parse("unix:" + socket));
            Assert.False(await CacheFarm.Client.Connection.DaemonLauncher.IsRunningAsync(local, default), "a probe waited for the daemon to be ready");
            await WaitForAnswerAsync(local, TimeSpan.FromSeconds(20));
            Assert.Equal(4, await NonCacheableCallsAsync(local, expected: 4, TimeSpan.FromSeconds(5)));
            Assert.Single(Regex.Matches(File.ReadAllText(Path.Combine(data.Path, "cachefarmd.log")), "cachefarmd ready"));
            Assert.Empty(Directory.GetFiles(Protos.Wire.CompileRecordSpool.DirectoryIn(data.Path)));
        }
        finally
        {
            await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], data.Path, env);
        }
    }

    private static async Task WaitForAnswerAsync(CacheFarm.Client.Connection.CacheClient client, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                await client.Admin.GetStatsAsync(default);
                return;
            }
            catch (Exception e) when ((e is Grpc.Core.RpcException or IOException or HttpRequestException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private static async Task<long> NonCacheableCallsAsync(CacheFarm.Client.Connection.CacheClient client, long expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        long seen;
        while ((seen = (await client.Admin.GetStatsAsync(default)).Compiles.NonCacheableCalls) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        return seen;
    }

    // A build whose wrapper starts the local daemon itself, in a data directory of the test's own.
    private static Dictionary<string, string?> BuildEnvironment(string dataDirectory) => new()
    {
        ["CACHEFARM_DATA_DIR"] = dataDirectory,
        ["CACHEFARM_LISTEN"] = "none",
        ["CACHEFARM_ENDPOINT"] = null,
        ["CACHEFARM_DAEMON"] = RepoPaths.DaemonBinary,
        ["CACHEFARM_IDLE_TIMEOUT"] = "60",
        ["CARGO_INCREMENTAL"] = "0",
    };

    // A stopped daemon nobody has reaped yet is a zombie: it counts as gone.
    private static async Task<bool> ExitsWithinAsync(string pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static string DaemonPid(string dataDirectory) =>
        Regex.Matches(File.ReadAllText(Path.Combine(dataDirectory, "cachefarmd.log")), @"ready pid=(\d+)")[^1].Groups[1].Value;
}
