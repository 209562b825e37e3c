using System.Diagnostics;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class StatsCliTests
{
    [Fact]
    public async Task ShowStatsListsEveryTierWithItsHealthAndMode()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        await using var daemon = await TieredDaemon.StartAsync(dir, "a", redis, s3, "--s3-mode", "read-only");
        await Blobs.WriteAsync(daemon, BlobData.Random(1000, seed: 1));
        await DaemonStats.DrainedAsync(daemon);

        var text = await ShowStatsAsync(daemon, "text");
        Assert.Contains("Tier local", text);
        Assert.Matches(@"Tier redis\s+healthy, read-write", text);
        Assert.Matches(@"Tier s3\s+healthy, read-only", text);
        Assert.Matches(@"writes / pending / dropped\s+1 / 0 / 0", text);
        var json = await ShowStatsAsync(daemon, "json");
        Assert.Contains("\"name\": \"redis\"", json);
        Assert.Contains("\"pending_writes\"", json);
    }

    [Fact]
    public async Task WithoutARemoteTierTheDaemonHasOnlyItsLocalTier()
    {
        using var dir = new TempDirectory("cft");
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("a"), "--capacity", "256M");
        var stats = await DaemonStats.GetAsync(daemon);
        Assert.Equal("local", Assert.Single(stats.Tiers).Name);
    }

    private static async Task<string> ShowStatsAsync(DaemonProcess daemon, string format)
    {
        var start = new ProcessStartInfo(RepoPaths.Binary("cachefarm"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--show-stats", "--stats-format", format },
        };
        start.Environment["CACHEFARM_ENDPOINT"] = $"http://127.0.0.1:{daemon.Port}";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"cachefarm --show-stats exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
