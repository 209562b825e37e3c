using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>Entries a build rejects for a bad signature are shown where an SRE looks: stats, status and metrics.</summary>
public sealed class UntrustedEntriesTests
{
    [Fact]
    public async Task Entries_signed_with_another_key_are_rebuilt_and_counted_in_stats_status_and_metrics()
    {
        var metricsPort = CacheFarm.TestSupport.FreePort.Next();
        await using var daemon = await WrapperDaemon.StartAsync(new Dictionary<string, string?> { ["CACHEFARM_METRICS_LISTEN"] = $"127.0.0.1:{metricsPort}" });
        using var work = new TempDirectory("cf-untrusted");
        var source = Path.Combine(RepoPaths.Root, "examples", "hello-ws");
        var signedElsewhere = new Dictionary<string, string?> { ["CACHEFARM_ENTRY_KEY"] = "someone else's key" };
        var signedHere = new Dictionary<string, string?> { ["CACHEFARM_ENTRY_KEY"] = "this fleet's key" };
        await CargoBuild.RunAsync(DirectoryCopy.Run(source, work.Combine("writer", "ws")), daemon, signedElsewhere);

        var reader = DirectoryCopy.Run(source, work.Combine("reader", "ws"));
        var build = await CargoBuild.RunAsync(reader, daemon, signedHere);
        var uncached = DirectoryCopy.Run(source, work.Combine("uncached", "ws"));
        await CargoBuild.RunAsync(uncached, null);

        Assert.Equal(0, build.Run.ExitCode);
        Assert.Empty(build.Units("hit"));
        var rejected = (await daemon.StatsAsync()).UntrustedEntries;
        Assert.True(rejected > 0, "no rejected entry was counted");
        var env = new Dictionary<string, string?>(daemon.Environment);
        var stats = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--show-stats"], reader, env);
        Assert.Matches($@"Entries rejected \(bad signature\)\s+{rejected}\n", stats.Stdout);
        var status = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["status"], reader, env);
        Assert.Contains($"rejected     {rejected} entries with a bad signature", status.Stdout);
        var scrape = await CacheFarm.TestSupport.PrometheusScrape.FetchAsync(metricsPort);
        Assert.Equal(rejected, (long)scrape.Value("cachefarm_build_untrusted_entries_total"));
        Assert.Equal(await HelloAsync(uncached), await HelloAsync(reader));
    }

    private static async Task<string> HelloAsync(string workspace) =>
        (await ProcessRun.RunAsync(Path.Combine(workspace, "target", "debug", "hello"), [], workspace, new Dictionary<string, string?>())).Stdout;
}
