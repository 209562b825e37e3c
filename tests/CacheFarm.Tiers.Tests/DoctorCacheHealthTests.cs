using System.Text.Json;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Tiers.Tests;

/// <summary><c>cachefarm doctor</c>'s cache-health findings, from a real runner daemon whose upstream is down and whose local tier is far too small.</summary>
public sealed class DoctorCacheHealthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Doctor_reports_an_upstream_that_is_down_and_a_local_tier_evicting_its_working_set()
    {
        using var dir = new TempDirectory("cfdoc");
        await using var runner = await DaemonProcess.StartAsync(dir.Combine("runner"), "--capacity", "256M",
            "--upstream", $"http://127.0.0.1:{FreePort.Next()}", "--upstream-timeout-ms", "500", "--breaker-max-backoff", "1");
        // Twice the tier's capacity, as a working set too large for it: the first half is evicted.
        for (var i = 0; i < 512; i++)
        {
            await Blobs.WriteAsync(runner, BlobData.Random(1 << 20, seed: i));
        }
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await Blobs.GetEntryAsync(runner, Blobs.Key(i)));
        }
        await DaemonStats.WaitUntilAsync(runner, s => DaemonStats.Tier(s, "upstream").Health != "healthy", "the upstream tier to leave healthy");

        using var document = await DoctorAsync(dir, runner.Port);
        var cache = document.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("area").GetString() == "cache").ToList();

        var upstream = Assert.Single(cache, f => f.GetProperty("title").GetString()!.StartsWith("the upstream tier is ", StringComparison.Ordinal));
        Assert.Matches("^the upstream tier is (open|degraded)$", upstream.GetProperty("title").GetString());
        Assert.Equal("problem", upstream.GetProperty("severity").GetString());
        Assert.Matches(@"breaker opened [1-9]\d* times", upstream.GetProperty("details")[0].GetString());

        var churn = Assert.Single(cache, f => f.GetProperty("title").GetString() == "the local tier is evicting what builds still use");
        Assert.Equal("problem", churn.GetProperty("severity").GetString());
        Assert.Matches(@"evictions, \d+(\.\d+)? MiB evicted since start, capacity 256\.0 MiB", churn.GetProperty("details")[0].GetString());
        Assert.Contains("CACHEFARM_CAPACITY", churn.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_reports_a_daemon_that_cannot_be_reached_as_a_problem()
    {
        using var dir = new TempDirectory("cfdoc");
        using var document = await DoctorAsync(dir, FreePort.Next());
        var finding = Assert.Single(document.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("area").GetString() == "cache");
        Assert.Equal("problem", finding.GetProperty("severity").GetString());
        Assert.EndsWith("cannot be reached", finding.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    // cachefarm doctor --json against the daemon on port, outside any workspace; it must find a problem (exit 1).
    private async Task<JsonDocument> DoctorAsync(TempDirectory dir, int port)
    {
        var run = await ProcessRun.RunAsync(RepoPaths.Binary("cachefarm"), ["doctor", "--json"], dir.Path, new Dictionary<string, string?>
        {
            ["CACHEFARM_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["CACHEFARM_DATA_DIR"] = dir.Combine("client"),
            ["CI"] = null,
        });
        output.WriteLine(run.Stdout + run.Stderr);
        Assert.Equal(1, run.ExitCode);
        return JsonDocument.Parse(run.Stdout);
    }
}
