using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class CorruptionTests
{
    [Fact]
    public async Task ACorruptRedisBlobIsACountedMissAndTheGoodCopyComesFromS3()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        var blob = BlobData.Random(100_000, seed: 1);
        var digest = await WriteAndDrainAsync(dir, redis, s3, blob);
        await using var inspect = await RemoteInspection.ConnectAsync(redis, s3);
        await inspect.Redis.StringSetAsync(RemoteInspection.RedisBlobKey(digest), Damaged(blob));

        await using (var redisOnly = await TieredDaemon.StartAsync(dir, "r", redis, null))
        {
            Assert.Null(await Blobs.ReadAsync(redisOnly, digest));
            var stats = await DaemonStats.TierAsync(redisOnly, "redis");
            Assert.Equal(1, stats.CorruptReads);
            Assert.Equal(1, stats.BlobMisses);
            Assert.Equal(0, stats.BlobHits);
        }
        // The damaged copy was removed; put it back damaged for the chain with S3 behind Redis.
        await inspect.Redis.StringSetAsync(RemoteInspection.RedisBlobKey(digest), Damaged(blob));
        await using var chain = await TieredDaemon.StartAsync(dir, "c", redis, s3);
        Assert.Equal(blob, await Blobs.ReadAsync(chain, digest));
        var after = await DaemonStats.GetAsync(chain);
        Assert.Equal(1, DaemonStats.Tier(after, "redis").CorruptReads);
        Assert.Equal(1, DaemonStats.Tier(after, "s3").BlobHits);
        // The S3 copy is backfilled into Redis over the damaged one.
        await DaemonStats.WaitUntilAsync(chain, s => DaemonStats.Tier(s, "redis").Backfills == 1 && DaemonStats.Tier(s, "redis").PendingWrites == 0, "Redis repaired");
        Assert.Equal(blob, (byte[]?)await inspect.Redis.StringGetAsync(RemoteInspection.RedisBlobKey(digest)));
    }

    [Theory]
    [InlineData(3 << 20)]
    [InlineData(20 << 20)]
    public async Task ACorruptS3BlobIsACountedMissAndNeverServed(int size)
    {
        using var dir = new TempDirectory("cft");
        await using var s3 = await S3rverProcess.StartAsync();
        var blob = BlobData.Random(size, seed: 2);
        var digest = await WriteAndDrainAsync(dir, null, s3, blob);
        await using var inspect = await RemoteInspection.ConnectAsync(null, s3);
        await inspect.OverwriteS3Async(RemoteInspection.S3BlobKey(digest), Damaged(blob));

        await using var reader = await TieredDaemon.StartAsync(dir, "r", null, s3);
        Assert.Null(await Blobs.ReadAsync(reader, digest));
        var stats = await DaemonStats.TierAsync(reader, "s3");
        Assert.Equal(1, stats.CorruptReads);
        Assert.Equal(0, stats.BlobHits);
        // Nothing of it reached the local tier, and the damaged object is gone, so the blob reads as missing.
        Assert.Single(await RawBlobCalls.FindMissingAsync(reader.Invoker, "", digest.ToProto()));
        Assert.Null(await inspect.S3ObjectSizeAsync(RemoteInspection.S3BlobKey(digest)));
    }

    [Fact]
    public async Task ACorruptRemoteEntryIsACountedMiss()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        var key = Blobs.Key(7);
        await using (var writer = await TieredDaemon.StartAsync(dir, "w", redis, null))
        {
            await Blobs.PutEntryAsync(writer, key, BlobData.Random(1000, seed: 7));
            await DaemonStats.DrainedAsync(writer);
        }
        await using var inspect = await RemoteInspection.ConnectAsync(redis, null);
        var stored = (byte[])(await inspect.Redis.StringGetAsync(RemoteInspection.RedisEntryKey(key)))!;
        stored[^1] ^= 0x40;
        await inspect.Redis.StringSetAsync(RemoteInspection.RedisEntryKey(key), stored);

        await using var reader = await TieredDaemon.StartAsync(dir, "r", redis, null);
        Assert.Null(await Blobs.GetEntryAsync(reader, key));
        var stats = await DaemonStats.TierAsync(reader, "redis");
        Assert.Equal(1, stats.CorruptReads);
        Assert.Equal(0, stats.EntryHits);
    }

    private static async Task<ContentDigest> WriteAndDrainAsync(TempDirectory dir, RedisServerProcess? redis, S3rverProcess? s3, byte[] blob)
    {
        await using var writer = await TieredDaemon.StartAsync(dir, "w", redis, s3);
        var digest = await Blobs.WriteAsync(writer, blob);
        await DaemonStats.DrainedAsync(writer);
        return digest;
    }

    /// <summary>Same length, one byte in the middle flipped.</summary>
    private static byte[] Damaged(byte[] blob)
    {
        var copy = (byte[])blob.Clone();
        copy[copy.Length / 2] ^= 0xFF;
        return copy;
    }
}
