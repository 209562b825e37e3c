using System.Globalization;
using System.Net;
using CacheFarm.LinkShaper;
using CacheFarm.Client.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// Ephemeral CI runners: each auto-starts its own daemon with an empty data directory and CACHEFARM_UPSTREAM
/// pointing at one shared cachefarmd across a shaped link; what one runner builds, the next one replays.
/// </summary>
public sealed class UpstreamRunnerTests(ITestOutputHelper output)
{
    private static readonly string Workload = RepoPaths.Workload("rust-ws");

    [Fact]
    public async Task A_fresh_runner_replays_rust_ws_from_the_shared_daemon_that_another_runner_filled()
    {
        Assert.True(Directory.Exists("/usr/share/cargo/registry"), "rust-ws needs Debian's crate sources: run scripts/setup.sh");
        using var work = new TempDirectory("cf-upstream");
        await using var shared = await DaemonProcess.StartAsync(work.Combine("shared"), "--capacity", "1G", "--log-memory", "64M");
        // As CI sets it: incremental compiles are not cached.
        var ci = new Dictionary<string, string?> { ["CARGO_INCREMENTAL"] = "0" };
        // Runners reach the shared daemon across a data-centre link: 1 ms each way, 1 Gbit/s.
        await using var link = LinkShapingProxy.Start(new IPEndPoint(IPAddress.Loopback, shared.Port), LinkShape.DataCentre);
        var runnerSettings = new Dictionary<string, string?> { ["CACHEFARM_UPSTREAM"] = $"http://127.0.0.1:{link.Port}" };

        var uncached = await CargoBuild.RunAsync(DirectoryCopy.Run(Workload, work.Combine("uncached")), null, ci);
        await using (var first = await WrapperDaemon.StartAsync(runnerSettings))
        {
            var cold = await CargoBuild.RunAsync(DirectoryCopy.Run(Workload, work.Combine("first-runner")), first, ci);
            Assert.Empty(cold.Units("cache-error"));
        }
        await using var second = await WrapperDaemon.StartAsync(runnerSettings);
        var warmDir = DirectoryCopy.Run(Workload, work.Combine("second-runner", "checkout"));
        var warm = await CargoBuild.RunAsync(warmDir, second, ci);

        var compiles = warm.Compiles.ToList();
        var misses = compiles.Where(c => c.Outcome != "hit").ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"uncached {uncached.Run.Elapsed.TotalSeconds:0.0} s, fresh runner from upstream {warm.Run.Elapsed.TotalSeconds:0.0} s ({warm.Run.Elapsed / uncached.Run.Elapsed:0.00}x); {compiles.Count - misses.Count} of {compiles.Count} hit"));
        Assert.True(misses.Count == 0, $"not hit: {string.Join(", ", misses)}");
        // One runner daemon, one pooled channel: a handful of connections, not one per rustc call.
        Assert.InRange(link.Connections, 1, 4);
        Assert.All(warm.ScriptRuns, run => Assert.Equal("hit", run.Outcome));
        foreach (var (program, args) in new[] { ("ws-cli", new[] { "--pattern", "rs$", "." }), ("ws-server", new[] { "--once" }) })
        {
            var expected = await ProcessRun.RunAsync(Path.Combine(work.Combine("uncached"), "target", "debug", program), args, work.Combine("uncached"), new Dictionary<string, string?>());
            var actual = await ProcessRun.RunAsync(Path.Combine(warmDir, "target", "debug", program), args, work.Combine("uncached"), new Dictionary<string, string?>());
            Assert.Equal(0, actual.ExitCode);
            Assert.Equal(expected.Stdout, actual.Stdout);
        }
    }
}
