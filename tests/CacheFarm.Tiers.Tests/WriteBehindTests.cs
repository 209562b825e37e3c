using System.Diagnostics;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class WriteBehindTests
{
    [Fact]
    public async Task AFullWriteBehindQueueDropsAndCountsWritesWithoutBlockingOrGrowingMemory()
    {
        using var dir = new TempDirectory("cft");
        // An S3 endpoint that accepts connections and never answers: every upload hangs for its full timeout.
        // Write-only, so the daemon never asks it anything on the client's path, only on the write-behind path.
        await using var hanging = new SilentTcpServer();
        await using var daemon = await TieredDaemon.StartAsync(dir, "a", null, null,
            "--s3-bucket", "b", "--s3-endpoint", hanging.Endpoint, "--s3-access-key-id", "K", "--s3-secret-access-key", "S",
            "--s3-mode", "write-only", "--s3-timeout-ms", "60000", "--write-behind-queue", "8");
        for (var i = 0; i < 20; i++)
        {
            await Blobs.WriteAsync(daemon, BlobData.Random(1 << 20, seed: 600 + i));
        }
        var baselineRss = ProcessMemory.RssBytes(daemon.Pid);

        const int Writes = 300;
        var slowest = TimeSpan.Zero;
        var peakPending = 0L;
        for (var i = 0; i < Writes; i++)
        {
            var clock = Stopwatch.StartNew();
            await Blobs.WriteAsync(daemon, BlobData.Random(1 << 20, seed: 700 + i));
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            if (i % 25 == 0)
            {
                peakPending = Math.Max(peakPending, (await DaemonStats.TierAsync(daemon, "s3")).PendingWrites);
            }
        }
        var s3 = await DaemonStats.TierAsync(daemon, "s3");
        var growth = ProcessMemory.RssBytes(daemon.Pid) - baselineRss;

        Assert.True(slowest < TimeSpan.FromSeconds(2), $"a write waited {slowest.TotalSeconds:0.00} s behind the hanging tier");
        // 8 queued plus at most 4 running; everything beyond that is dropped and counted.
        Assert.True(Math.Max(peakPending, s3.PendingWrites) <= 12, $"queue grew past its bound: {s3}");
        Assert.True(s3.DroppedWrites >= 20 + Writes - 12, $"drops were not counted: {s3}");
        Assert.Equal(0, s3.Writes);
        Assert.True(growth < 150L << 20, $"RSS grew by {growth >> 20} MiB while {Writes} MiB queued behind a hanging tier");
    }
}
