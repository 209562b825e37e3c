using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>The Redis and S3 tiers against real redis-server and s3rver, through the tier interface the chain uses.</summary>
public sealed class RemoteTierReadTests
{
    private static readonly NamespaceId Ns = NamespaceId.Default;

    [Fact]
    public async Task The_redis_tier_serves_a_whole_blob_and_any_byte_range_of_it()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var tier = new RedisTier(new RedisTierOptions { Endpoint = redis.Endpoint, Timeout = TimeSpan.FromSeconds(5) });
        var data = BlobData.Random(700_000, seed: 71);

        await AssertRangesAsync(tier, data);
    }

    [Fact]
    public async Task The_s3_tier_serves_a_whole_blob_and_any_byte_range_of_it_across_its_parts()
    {
        await using var s3 = await S3rverProcess.StartAsync();
        await using var tier = new S3Tier(new S3TierOptions
        {
            Bucket = s3.Bucket, Endpoint = s3.Endpoint, UseSsl = false, AccessKeyId = S3rverProcess.AccessKey, SecretAccessKey = S3rverProcess.SecretKey,
            Region = "us-east-1", PartSize = S3TierOptions.MinPartSize, Timeout = TimeSpan.FromSeconds(30),
        });
        // Three parts: the first arrives with the open, the others as ranged GETs.
        var data = BlobData.Random(2 * S3TierOptions.MinPartSize + 123_457, seed: 72);

        await AssertRangesAsync(tier, data);
    }

    [Fact]
    public async Task Both_remote_tiers_answer_a_blob_and_an_entry_they_never_stored_with_a_miss()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var s3 = await S3rverProcess.StartAsync();
        ICacheTier[] tiers =
        [
            new RedisTier(new RedisTierOptions { Endpoint = redis.Endpoint, Timeout = TimeSpan.FromSeconds(5) }),
            new S3Tier(new S3TierOptions
            {
                Bucket = s3.Bucket, Endpoint = s3.Endpoint, UseSsl = false, AccessKeyId = S3rverProcess.AccessKey, SecretAccessKey = S3rverProcess.SecretKey,
                Region = "us-east-1", Timeout = TimeSpan.FromSeconds(30),
            }),
        ];
        var digest = ContentDigest.Of(BlobData.Random(1000, seed: 73));
        foreach (var tier in tiers)
        {
            await using (tier)
            {
                Assert.Null(await tier.OpenBlobAsync(Ns, digest, default));
                Assert.False(await tier.ContainsBlobAsync(Ns, digest, default));
                Assert.Null(await tier.GetEntryAsync(Ns, digest.Hash.ToArray(), default));
            }
        }
    }

    private static async Task AssertRangesAsync(ICacheTier tier, byte[] data)
    {
        var digest = ContentDigest.Of(data);
        await using (var writer = await tier.BeginBlobWriteAsync(Ns, digest, default))
        {
            await writer.AppendAsync(data, default);
            await writer.CommitAsync(default);
        }
        Assert.False(tier.TrustedReads);
        Assert.True(await tier.ContainsBlobAsync(Ns, digest, default));
        (long Offset, long Length)[] ranges = [(1, 10), (data.Length / 2, data.Length / 3), (data.Length - 5, 5), (0, data.Length), (0, data.Length + 100), (7, long.MaxValue)];
        foreach (var (offset, length) in ranges)
        {
            // A fresh open for every range, as the chain opens once per read.
            using var reader = await tier.OpenBlobAsync(Ns, digest, default);
            Assert.NotNull(reader);
            Assert.Equal(data.Length, reader.Size);
            var expected = data.AsSpan((int)offset, (int)Math.Min(length, data.Length - offset)).ToArray();
            Assert.Equal(expected, await ReadAsync(reader, offset, length));
        }
        using var twice = await tier.OpenBlobAsync(Ns, digest, default);
        Assert.Equal(data.AsSpan(3, 4).ToArray(), await ReadAsync(twice!, 3, 4));
        Assert.Equal(data.AsSpan(8, 2).ToArray(), await ReadAsync(twice!, 8, 2));
    }

    private static async Task<byte[]> ReadAsync(IBlobReader reader, long offset, long length)
    {
        using var bytes = new MemoryStream();
        await foreach (var chunk in reader.ReadAsync(offset, length, default))
        {
            using (chunk)
            {
                bytes.Write(chunk.Data.Span);
            }
        }
        return bytes.ToArray();
    }
}
