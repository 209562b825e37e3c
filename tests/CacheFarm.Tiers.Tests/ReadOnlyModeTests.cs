using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class ReadOnlyModeTests
{
    [Fact]
    public async Task ReadOnlyTiersServeHitsButAreNeverWritten()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        var shared = BlobData.Random(50_000, seed: 1);
        var onlyInS3 = BlobData.Random(60_000, seed: 2);
        var key = Blobs.Key(1);
        await using (var main = await TieredDaemon.StartAsync(dir, "main", redis, s3))
        {
            await Blobs.PutEntryAsync(main, key, shared);
            await DaemonStats.DrainedAsync(main);
        }
        await using (var s3Writer = await TieredDaemon.StartAsync(dir, "s3only", redis, s3, "--redis-mode", "off"))
        {
            await Blobs.WriteAsync(s3Writer, onlyInS3);
            await DaemonStats.DrainedAsync(s3Writer);
        }
        await using var inspect = await RemoteInspection.ConnectAsync(redis, s3);
        var redisKeys = inspect.RedisKeys();
        var s3Keys = await inspect.S3KeysAsync();
        Assert.Equal(2, redisKeys.Count);
        Assert.Equal(3, s3Keys.Count);

        await using var pr = await TieredDaemon.StartAsync(dir, "pr", redis, s3, "--redis-mode", "read-only", "--s3-mode", "READ_ONLY");
        Assert.NotNull(await Blobs.GetEntryAsync(pr, key));
        Assert.Equal(shared, await Blobs.ReadAsync(pr, ContentDigest.Of(shared)));
        // An S3 hit is backfilled into the local tier, never into read-only Redis.
        Assert.Equal(onlyInS3, await Blobs.ReadAsync(pr, ContentDigest.Of(onlyInS3)));
        for (var i = 0; i < 5; i++)
        {
            await Blobs.PutEntryAsync(pr, Blobs.Key(10 + i), BlobData.Random(30_000, seed: 10 + i));
        }
        await Blobs.WriteAsync(pr, BlobData.Random(3 << 20, seed: 20));
        var stats = await DaemonStats.WaitUntilAsync(pr, s => DaemonStats.Tier(s, "local").Backfills >= 3, "backfilled locally");

        Assert.Equal(redisKeys, inspect.RedisKeys());
        Assert.Equal(s3Keys, await inspect.S3KeysAsync());
        Assert.All(stats.Tiers.Where(t => t.Name != "local"), t =>
        {
            Assert.Equal("read-only", t.Mode);
            Assert.Equal(0, t.Writes);
            Assert.Equal(0, t.PendingWrites);
        });
    }
}
