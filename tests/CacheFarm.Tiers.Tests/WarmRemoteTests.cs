using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

public sealed class WarmRemoteTests
{
    [Fact]
    public async Task EmptyLocalTierHitsInWarmRemotesAndReadsTheSameBlobsLocallyTheSecondTime()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        var small = BlobData.Random(64 << 10, seed: 1);
        var medium = BlobData.Random(3 << 20, seed: 2);
        var output = BlobData.Random(10_000, seed: 3);
        var key = Blobs.Key(1);
        await using (var writer = await TieredDaemon.StartAsync(dir, "a", redis, s3))
        {
            await Blobs.WriteAsync(writer, small);
            await Blobs.WriteAsync(writer, medium);
            await Blobs.PutEntryAsync(writer, key, output);
            await DaemonStats.DrainedAsync(writer);
        }

        await using var reader = await TieredDaemon.StartAsync(dir, "b", redis, s3);
        var entry = await Blobs.GetEntryAsync(reader, key);
        Assert.NotNull(entry);
        Assert.Equal(small, await Blobs.ReadAsync(reader, ContentDigest.Of(small)));
        Assert.Equal(medium, await Blobs.ReadAsync(reader, ContentDigest.Of(medium)));
        Assert.Equal(output, await Blobs.ReadAsync(reader, ContentDigest.Of(output)));
        var first = await DaemonStats.GetAsync(reader);
        Assert.Equal(1, DaemonStats.Tier(first, "redis").EntryHits);
        // The small blobs come from Redis; the 3 MiB one is over Redis's 1 MiB limit and comes from S3.
        Assert.Equal(2, DaemonStats.Tier(first, "redis").BlobHits);
        Assert.Equal(1, DaemonStats.Tier(first, "s3").BlobHits);

        // 3 blobs and 1 entry are copied into the local tier in the background.
        await DaemonStats.WaitUntilAsync(reader, s => DaemonStats.Tier(s, "local").Backfills >= 4, "backfilled locally");
        var localHitsBefore = DaemonStats.Tier(first, "local").BlobHits;
        Assert.NotNull(await Blobs.GetEntryAsync(reader, key));
        Assert.Equal(small, await Blobs.ReadAsync(reader, ContentDigest.Of(small)));
        Assert.Equal(medium, await Blobs.ReadAsync(reader, ContentDigest.Of(medium)));
        Assert.Equal(output, await Blobs.ReadAsync(reader, ContentDigest.Of(output)));
        var second = await DaemonStats.GetAsync(reader);
        Assert.Equal(localHitsBefore + 3, DaemonStats.Tier(second, "local").BlobHits);
        Assert.Equal(1, DaemonStats.Tier(second, "local").EntryHits);
        Assert.Equal(2, DaemonStats.Tier(second, "redis").BlobHits);
        Assert.Equal(1, DaemonStats.Tier(second, "redis").EntryHits);
        Assert.Equal(1, DaemonStats.Tier(second, "s3").BlobHits);
    }

    [Fact]
    public async Task TwoDaemonsWithSeparateLocalTiersShareBlobsAndEntriesThroughOneRedisAndOneS3()
    {
        using var dir = new TempDirectory("cft");
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        await using var a = await TieredDaemon.StartAsync(dir, "a", redis, s3);
        await using var b = await TieredDaemon.StartAsync(dir, "b", redis, s3);

        var fromA = BlobData.Random(200_000, seed: 10);
        var largeFromA = BlobData.Random(5 << 20, seed: 11);
        var entryA = await Blobs.PutEntryAsync(a, Blobs.Key(10), fromA);
        await Blobs.WriteAsync(a, largeFromA);
        await DaemonStats.DrainedAsync(a);
        Assert.Equal(entryA, await Blobs.GetEntryAsync(b, Blobs.Key(10)));
        Assert.Equal(fromA, await Blobs.ReadAsync(b, ContentDigest.Of(fromA)));
        Assert.Equal(largeFromA, await Blobs.ReadAsync(b, ContentDigest.Of(largeFromA)));

        var fromB = BlobData.Random(300_000, seed: 12);
        var entryB = await Blobs.PutEntryAsync(b, Blobs.Key(11), fromB);
        await DaemonStats.DrainedAsync(b);
        Assert.Equal(entryB, await Blobs.GetEntryAsync(a, Blobs.Key(11)));
        Assert.Equal(fromB, await Blobs.ReadAsync(a, ContentDigest.Of(fromB)));
        Assert.Empty(await RawBlobCalls.FindMissingAsync(a.Invoker, "", ContentDigest.Of(fromB).ToProto()));
    }

    [Fact]
    public async Task FindMissingBlobsAsksS3AtMostOncePerDigestAndThenAnswersFromTheExistenceCache()
    {
        using var dir = new TempDirectory("cft");
        await using var s3 = await S3rverProcess.StartAsync();
        var present = Enumerable.Range(0, 20).Select(i => BlobData.Random(4096, seed: 100 + i)).ToList();
        await using (var writer = await TieredDaemon.StartAsync(dir, "a", null, s3))
        {
            foreach (var blob in present)
            {
                await Blobs.WriteAsync(writer, blob);
            }
            await DaemonStats.DrainedAsync(writer);
        }
        await using var daemon = await TieredDaemon.StartAsync(dir, "b", null, s3);
        var absent = Enumerable.Range(0, 20).Select(i => ContentDigest.Of(BlobData.Random(4096, seed: 200 + i)).ToProto());
        var digests = present.Select(b => ContentDigest.Of(b).ToProto()).Concat(absent).ToArray();

        var before = (await DaemonStats.TierAsync(daemon, "s3")).Requests;
        var missing = await RawBlobCalls.FindMissingAsync(daemon.Invoker, "", digests);
        Assert.Equal(20, missing.Count);
        var afterFirst = (await DaemonStats.TierAsync(daemon, "s3")).Requests;
        Assert.Equal(40, afterFirst - before);

        missing = await RawBlobCalls.FindMissingAsync(daemon.Invoker, "", digests);
        Assert.Equal(20, missing.Count);
        Assert.Equal(afterFirst, (await DaemonStats.TierAsync(daemon, "s3")).Requests);
    }
}
