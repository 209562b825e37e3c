using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class RedisTtlTests
{
    [Fact]
    public async Task RedisKeysGetTheTtlAndEveryHitRefreshesIt()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        var blob = BlobData.Random(20_000, seed: 1);
        var key = Blobs.Key(1);
        await using (var writer = await TieredDaemon.StartAsync(dir, "w", redis, null, "--redis-ttl", "600"))
        {
            await Blobs.PutEntryAsync(writer, key, blob);
            await DaemonStats.DrainedAsync(writer);
        }
        await using var inspect = await RemoteInspection.ConnectAsync(redis, null);
        var blobKey = RemoteInspection.RedisBlobKey(ContentDigest.Of(blob));
        var entryKey = RemoteInspection.RedisEntryKey(key);
        foreach (var stored in new[] { blobKey, entryKey })
        {
            var ttl = await inspect.Redis.KeyTimeToLiveAsync(stored);
            Assert.InRange(ttl!.Value.TotalSeconds, 590, 600);
            // Age the key, as if it had not been used for a while.
            await inspect.Redis.KeyExpireAsync(stored, TimeSpan.FromSeconds(30));
        }

        await using var reader = await TieredDaemon.StartAsync(dir, "r", redis, null, "--redis-ttl", "600");
        Assert.NotNull(await Blobs.GetEntryAsync(reader, key));
        Assert.Equal(blob, await Blobs.ReadAsync(reader, ContentDigest.Of(blob)));
        foreach (var stored in new[] { blobKey, entryKey })
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await inspect.Redis.KeyTimeToLiveAsync(stored))!.Value.TotalSeconds < 590 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.InRange((await inspect.Redis.KeyTimeToLiveAsync(stored))!.Value.TotalSeconds, 590, 600);
        }
    }
}
