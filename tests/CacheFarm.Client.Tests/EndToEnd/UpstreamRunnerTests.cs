using System.Globalization;
using CacheFarm.Client.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// Ephemeral CI runners: each auto-starts its own daemon with an empty data directory and CACHEFARM_UPSTREAM
/// pointing at one shared cachefarmd across a shaped link; what one runner builds, the next one replays.
/// </summary>
public sealed class UpstreamRunnerTests(FilledSharedDaemon shared, ITestOutputHelper output) : IClassFixture<FilledSharedDaemon>
{
    [Fact]
    public async Task A_fresh_runner_replays_rust_ws_from_the_shared_daemon_that_another_runner_filled()
    {
        await using var link = shared.Link();
        await using var runner = await WrapperDaemon.StartAsync(FilledSharedDaemon.RunnerSettings(link));
        var checkout = shared.Checkout("fresh-runner");
        var warm = await CargoBuild.RunAsync(checkout, runner, FilledSharedDaemon.Ci);

        var compiles = warm.Compiles.ToList();
        var misses = compiles.Where(c => c.Outcome != "hit").ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"uncached {shared.UncachedTime.TotalSeconds:0.0} s, fresh runner from upstream {warm.Run.Elapsed.TotalSeconds:0.0} s ({warm.Run.Elapsed / shared.UncachedTime:0.00}x); {compiles.Count - misses.Count} of {compiles.Count} hit"));
        Assert.True(misses.Count == 0, $"not hit: {string.Join(", ", misses)}");
        Assert.All(warm.ScriptRuns, run => Assert.Equal("hit", run.Outcome));
        // One runner daemon, one pooled channel: a handful of connections, not one per rustc call.
        Assert.InRange(link.Connections, 1, 4);
        // The first runner's daemon recorded its working set on the way down; this one's first lookup prefetched it.
        var prefetch = (await runner.DaemonStatsAsync()).Prefetch;
        output.WriteLine($"prefetch: {prefetch}");
        Assert.Equal(1, prefetch.Started);
        Assert.True(prefetch.Used > 0, $"no prefetched entry was used: {prefetch}");
        Assert.Equal(0, prefetch.Failures);
        var report = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["report", "--format", "json"], checkout, runner.Environment);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains($"\"used\": {prefetch.Used}", report.Stdout);
        await AssertProgramsBehaveAsUncachedAsync(checkout);
    }

    [Fact]
    public async Task A_runner_whose_upstream_dies_mid_build_still_builds_what_an_uncached_build_does()
    {
        var link = shared.Link();
        await using var runner = await WrapperDaemon.StartAsync(FilledSharedDaemon.RunnerSettings(link));
        var checkout = shared.Checkout("orphaned-runner");

        var build = CargoBuild.RunAsync(checkout, runner, FilledSharedDaemon.Ci);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await runner.StatsAsync()).CacheHits < 10 && !build.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.False(build.IsCompleted, "the build finished before the upstream could be cut mid-build");
        await link.DisposeAsync();
        var report = await build;

        var stats = await runner.DaemonStatsAsync();
        output.WriteLine($"hits {stats.Compiles.CacheHits}, misses {stats.Compiles.CacheMisses}; upstream: {stats.Tiers.Single(t => t.Name == "upstream")}");
        Assert.True(stats.Compiles.CacheHits >= 10, "the build hit from the upstream before it died");
        Assert.Empty(report.Units("cache-error"));
        await AssertProgramsBehaveAsUncachedAsync(checkout);
    }

    private async Task AssertProgramsBehaveAsUncachedAsync(string checkout)
    {
        foreach (var (program, args) in new[] { ("ws-cli", new[] { "--pattern", "rs$", "." }), ("ws-server", new[] { "--once" }) })
        {
            var expected = await ProcessRun.RunAsync(Path.Combine(shared.Uncached, "target", "debug", program), args, shared.Uncached, new Dictionary<string, string?>());
            var actual = await ProcessRun.RunAsync(Path.Combine(checkout, "target", "debug", program), args, shared.Uncached, new Dictionary<string, string?>());
            Assert.Equal(0, actual.ExitCode);
            Assert.Equal(expected.Stdout, actual.Stdout);
        }
    }
}
