using System.Net;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task ScrapeAfterRealTrafficShowsHitsMissesBytesAndLatencyHistograms()
    {
        using var dir = new TempDirectory("cfmet");
        await using var daemon = await DaemonProcess.StartWithMetricsAsync(dir.Path);
        var blob = BlobData.Random(300_000, seed: 1);
        var digest = ContentDigest.Of(blob).ToProto();
        await RawBlobCalls.WriteAsync(daemon.Invoker, "ci", blob);
        for (var i = 0; i < 3; i++)
        {
            await RawBlobCalls.ReadAsync(daemon.Invoker, "ci", digest);
        }
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => RawBlobCalls.ReadAsync(daemon.Invoker, "ci", ContentDigest.Of([1, 2, 3]).ToProto()));
        using (var client = daemon.Client("ci"))
        {
            await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Hit, SavedUs = 1_500_000 }, default);
        }

        var scrape = await PrometheusScrape.FetchAsync(daemon.MetricsPort!.Value);
        Assert.Equal(3, scrape.Value("cachefarm_tier_hits_total", ("tier", "local"), ("kind", "blob")));
        Assert.Equal(1, scrape.Value("cachefarm_tier_misses_total", ("tier", "local"), ("kind", "blob")));
        Assert.Equal(300_000, scrape.Value("cachefarm_tier_io_bytes_total", ("tier", "local"), ("direction", "write")));
        Assert.Equal(3, scrape.Value("cachefarm_lookups_total", ("namespace", "ci"), ("kind", "blob"), ("result", "hit")));
        Assert.Equal(1, scrape.Value("cachefarm_lookups_total", ("namespace", "ci"), ("kind", "blob"), ("result", "miss")));
        Assert.Equal(3, scrape.Value("cachefarm_rpc_duration_seconds_count", ("rpc_method", "BlobStore/ReadBlob"), ("rpc_grpc_status_code", "OK")));
        Assert.Equal(1, scrape.Value("cachefarm_rpc_requests_total", ("rpc_method", "BlobStore/ReadBlob"), ("rpc_grpc_status_code", "NotFound")));
        Assert.True(scrape.Value("cachefarm_rpc_duration_seconds_bucket", ("rpc_method", "BlobStore/ReadBlob"), ("rpc_grpc_status_code", "OK"), ("le", "+Inf")) == 3);
        Assert.Equal(1.5, scrape.Value("cachefarm_build_time_saved_seconds_total"), 3);
        Assert.Equal(1, scrape.Value("cachefarm_build_compiles_total", ("outcome", "hit")));
        Assert.Equal(5L << 30, scrape.Value("cachefarm_tier_capacity_bytes", ("tier", "local")));
        Assert.Equal(1, scrape.Value("cachefarm_tier_health", ("tier", "local")));
        Assert.Equal(3, scrape.Value("cachefarm_tier_duration_seconds_count", ("tier", "local"), ("operation", "open_blob"), ("outcome", "hit")));
        Assert.Equal(1, scrape.Value("cachefarm_tier_duration_seconds_count", ("tier", "local"), ("operation", "open_blob"), ("outcome", "miss")));
    }

    [Fact]
    public async Task ReadinessAnswersNotReadyUntilTheTierIsOpenThenReady()
    {
        using var dir = new TempDirectory("cfrdy");
        var metricsPort = FreePort.Next();
        await using var daemon = DaemonProcess.Launch(dir.Path, metricsPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var beforeReady = new List<HttpStatusCode>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The gate opens just before the daemon prints its ready line, which the test reads a moment later: the
        // first OK ends the polling, and every answer before it must be "not ready".
        while (!daemon.SawReadyLine && DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{metricsPort}/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
                beforeReady.Add(response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        await daemon.WaitUntilReadyAsync(TimeSpan.FromSeconds(5));
        Assert.All(beforeReady, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        var ready = await http.GetAsync($"http://127.0.0.1:{metricsPort}/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/healthz")).StatusCode);
    }
}
