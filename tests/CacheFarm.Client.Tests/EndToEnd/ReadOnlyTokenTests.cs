using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

public sealed class ReadOnlyTokenTests
{
    [Fact]
    public async Task BuildWithAReadOnlyTokenSucceedsIsRefusedOnceAndStopsTryingToWrite()
    {
        using var work = new TempDirectory("cf-ro");
        var tokens = CacheFarm.TestSupport.TokenFile.Write(work.Path, new CacheFarm.TestSupport.TokenFile.Token("pr-build", "pr-secret", ["read"], ["*"]));
        await using var daemon = await CacheFarm.TestSupport.DaemonProcess.StartWithMetricsAsync(work.Combine("daemon"), "--tokens-file", tokens);
        var workspace = DirectoryCopy.Run(Path.Combine(RepoPaths.Root, "examples", "hello-ws"), work.Combine("ws"));
        var environment = new Dictionary<string, string?>
        {
            ["CACHEFARM_ENDPOINT"] = $"http://127.0.0.1:{daemon.Port}",
            ["CACHEFARM_TOKEN"] = "pr-secret",
            ["CACHEFARM_DATA_DIR"] = work.Combine("client"),
            ["CACHEFARM_BUILD_ID"] = null,
        };

        var build = await CargoBuild.RunAsyncWithEnvironment(workspace, environment);

        var misses = build.Units("miss");
        Assert.Equal(2, misses.Count);
        Assert.Empty(build.Units("cache-error"));
        var scrape = await CacheFarm.TestSupport.PrometheusScrape.FetchAsync(daemon.MetricsPort!.Value);
        Assert.Equal(1, scrape.Value("cachefarm_rpc_requests_total", ("rpc_grpc_status_code", "PermissionDenied")));
        using var admin = daemon.Client(credentials: new CacheFarm.Client.Connection.ClientCredentials { Token = "pr-secret" });
        var stats = await admin.Admin.GetStatsAsync(CancellationToken.None);
        Assert.Equal(misses.Count, stats.Compiles.ReadOnlySkips);
        Assert.Equal(0, stats.Requests.BlobWrites);
        Assert.Equal(0, stats.Compiles.CacheErrors);
    }
}
