using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

public sealed class WarmBuildObservabilityTests
{
    [Fact]
    public async Task AfterAWarmBuildMetricsShowTierHitsAndLatencyAndStatusShowsTheSameHitRate()
    {
        var metricsPort = CacheFarm.TestSupport.FreePort.Next();
        await using var daemon = await WrapperDaemon.StartAsync(new Dictionary<string, string?> { ["CACHEFARM_METRICS_LISTEN"] = $"127.0.0.1:{metricsPort}" });
        using var work = new TempDirectory("cf-obs");
        var workspace = DirectoryCopy.Run(Path.Combine(RepoPaths.Root, "examples", "hello-ws"), work.Combine("ws"));
        await CargoBuild.RunAsync(workspace, daemon);
        Directory.Delete(Path.Combine(workspace, "target"), recursive: true);
        var warm = await CargoBuild.RunAsync(workspace, daemon);
        Assert.NotEmpty(warm.Units("hit"));

        var scrape = await CacheFarm.TestSupport.PrometheusScrape.FetchAsync(metricsPort);
        Assert.True(scrape.Value("cachefarm_tier_hits_total", ("tier", "local"), ("kind", "entry")) > 0);
        Assert.True(scrape.Value("cachefarm_tier_hits_total", ("tier", "local"), ("kind", "blob")) > 0);
        Assert.True(scrape.Value("cachefarm_rpc_duration_seconds_count", ("rpc_method", "FastPath/GetEntry"), ("rpc_grpc_status_code", "OK")) > 0);
        Assert.True(scrape.Value("cachefarm_rpc_duration_seconds_bucket", ("rpc_method", "FastPath/GetEntry"), ("le", "+Inf")) > 0);
        var hits = (long)scrape.Value("cachefarm_build_compiles_total", ("outcome", "hit"));
        var misses = (long)scrape.Value("cachefarm_build_compiles_total", ("outcome", "miss"));
        Assert.Equal(warm.Units("hit").Count, hits);

        var status = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["status"], workspace, daemon.Environment);
        Assert.Equal(0, status.ExitCode);
        var rate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100.0 * hits / (hits + misses),6:0.0} %  ({hits} of {hits + misses})");
        Assert.Contains("compile hits " + rate, status.Stdout);
    }
}
