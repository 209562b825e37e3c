using System.Diagnostics;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class RemoteFailureTests
{
    /// <summary>Longest any one request may take while a remote tier is down (its timeouts are 0.5–1 s here).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    private static readonly string[] FastFailure = ["--redis-timeout-ms", "500", "--s3-timeout-ms", "1000", "--breaker-max-backoff", "1"];

    [Fact]
    public async Task RedisKilledMidRunEveryReadAndWriteSucceedsWithinTheTimeoutBoundAndRedisIsUsedAgainAfterRestart()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        await using var a = await TieredDaemon.StartAsync(dir, "a", redis, s3, FastFailure);
        await using var b = await TieredDaemon.StartAsync(dir, "b", redis, s3, FastFailure);
        var early = Enumerable.Range(0, 6).Select(i => BlobData.Random(100_000, seed: 300 + i)).ToList();
        foreach (var blob in early)
        {
            await Blobs.WriteAsync(a, blob);
        }
        await DaemonStats.DrainedAsync(a);

        await redis.KillAsync();
        // Stats show the lost connection before any request has failed.
        await DaemonStats.WaitUntilAsync(b, s => DaemonStats.Tier(s, "redis").Health == "degraded", "Redis shown degraded", seconds: 10);
        for (var i = 0; i < 12; i++)
        {
            var fresh = BlobData.Random(100_000, seed: 400 + i);
            await Bounded(() => Blobs.WriteAsync(a, fresh));
            await Bounded(() => Blobs.PutEntryAsync(a, Blobs.Key(400 + i), fresh));
            Assert.Equal(fresh, await Bounded(() => Blobs.ReadAsync(a, ContentDigest.Of(fresh))));
            // b has an empty local tier: with Redis gone its reads come from S3.
            var old = early[i % early.Count];
            Assert.Equal(old, await Bounded(() => Blobs.ReadAsync(b, ContentDigest.Of(old))));
        }
        var down = await DaemonStats.TierAsync(b, "redis");
        Assert.True(down.Errors + down.Timeouts + down.SkippedRequests > 0, $"b never noticed Redis was gone: {down}");
        Assert.True((await DaemonStats.TierAsync(b, "s3")).BlobHits >= early.Count);

        await redis.RestartAsync();
        var back = await WriteUntilRedisTakesWritesAsync(a);
        var written = await RemoteInspection.ConnectAsync(redis, null);
        await using (written)
        {
            Assert.True(await written.Redis.KeyExistsAsync(RemoteInspection.RedisBlobKey(back)));
        }
    }

    [Theory]
    [InlineData("erroring")]
    [InlineData("stopped")]
    public async Task S3FailingEveryReadAndWriteSucceedsWithinTheTimeoutBound(string failure)
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        await using var erroring = new FailingHttpServer();
        string[] s3Args = failure == "erroring"
            ? ["--s3-bucket", s3.Bucket, "--s3-endpoint", erroring.Endpoint, "--s3-access-key-id", "K", "--s3-secret-access-key", "S"]
            : s3.DaemonArgs;
        await using var a = await TieredDaemon.StartAsync(dir, "a", redis, null, [.. s3Args, .. FastFailure]);
        await using var b = await TieredDaemon.StartAsync(dir, "b", redis, null, [.. s3Args, .. FastFailure]);
        if (failure == "stopped")
        {
            await Blobs.WriteAsync(a, BlobData.Random(1000, seed: 499));
            await DaemonStats.DrainedAsync(a);
            await s3.KillAsync();
        }

        var written = new List<byte[]>();
        for (var i = 0; i < 12; i++)
        {
            var fresh = BlobData.Random(100_000, seed: 500 + i);
            await Bounded(() => Blobs.WriteAsync(a, fresh));
            await Bounded(() => Blobs.PutEntryAsync(a, Blobs.Key(500 + i), fresh));
            Assert.Equal(fresh, await Bounded(() => Blobs.ReadAsync(a, ContentDigest.Of(fresh))));
            written.Add(fresh);
        }
        await DaemonStats.DrainedAsync(a);
        // b has an empty local tier: everything it reads comes from Redis, the remaining tier.
        foreach (var blob in written)
        {
            Assert.Equal(blob, await Bounded(() => Blobs.ReadAsync(b, ContentDigest.Of(blob))));
        }
        Assert.NotNull(await Bounded(() => Blobs.GetEntryAsync(b, Blobs.Key(511))));

        var s3Stats = await DaemonStats.TierAsync(a, "s3");
        Assert.True(s3Stats.Errors + s3Stats.Timeouts > 0, $"S3 failures were not counted: {s3Stats}");
        Assert.True(s3Stats.BreakerOpens >= 1, $"the breaker never opened: {s3Stats}");
        Assert.True(s3Stats.DroppedWrites > 0, $"lost S3 writes were not counted: {s3Stats}");
        Assert.NotEqual("healthy", s3Stats.Health);
        Assert.Equal("healthy", (await DaemonStats.TierAsync(a, "redis")).Health);
    }

    private static async Task<ContentDigest> WriteUntilRedisTakesWritesAsync(DaemonProcess daemon)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; DateTime.UtcNow < deadline; i++)
        {
            var before = (await DaemonStats.TierAsync(daemon, "redis")).Writes;
            var digest = await Bounded(() => Blobs.WriteAsync(daemon, BlobData.Random(50_000, seed: 900 + i)));
            var stats = await DaemonStats.DrainedAsync(daemon);
            var redis = DaemonStats.Tier(stats, "redis");
            if (redis.Writes > before && redis.Health == "healthy")
            {
                return digest;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("Redis was not written to within 30 s of its restart");
    }

    private static async Task<T> Bounded<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        var result = await call();
        Assert.True(clock.Elapsed < Bound, $"a call took {clock.Elapsed.TotalSeconds:0.00} s with a remote tier down (bound {Bound.TotalSeconds} s)");
        return result;
    }
}
