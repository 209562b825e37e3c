using Amazon.S3;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using StackExchange.Redis;

namespace CacheFarm.Tiers.Tests;

/// <summary>Direct access to the test's redis-server and s3rver, to look at (and damage) what the daemons stored.</summary>
internal sealed class RemoteInspection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer? _redis;
    private readonly string? _bucket;

    private RemoteInspection(ConnectionMultiplexer? redis, AmazonS3Client? s3, string? bucket)
    {
        _redis = redis;
        S3 = s3;
        _bucket = bucket;
    }

    public AmazonS3Client? S3 { get; }

    public IDatabase Redis => _redis?.GetDatabase() ?? throw new InvalidOperationException("no Redis in this test");

    public static async Task<RemoteInspection> ConnectAsync(RedisServerProcess? redis, S3rverProcess? s3)
    {
        ConnectionMultiplexer? connection = null;
        if (redis is not null)
        {
            var options = ConfigurationOptions.Parse(redis.Endpoint);
            options.AllowAdmin = true;
            connection = await ConnectionMultiplexer.ConnectAsync(options);
        }
        var client = s3 is null
            ? null
            : new AmazonS3Client(S3rverProcess.AccessKey, S3rverProcess.SecretKey,
                new AmazonS3Config { ServiceURL = s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        return new RemoteInspection(connection, client, s3?.Bucket);
    }

    public static string RedisBlobKey(ContentDigest digest, string ns = "default") => $"cachefarm:{ns}:b:{digest.Hex}";

    public static string RedisEntryKey(string key, string ns = "default") => $"cachefarm:{ns}:e:{key}";

    public static string S3BlobKey(ContentDigest digest, string ns = "default") => $"cachefarm/{ns}/cas/{digest.Hex[..2]}/{digest.Hex}";

    public IReadOnlyList<string> RedisKeys() =>
        _redis!.GetServers().SelectMany(server => server.Keys(pattern: "*", pageSize: 1000)).Select(k => k.ToString()).Order().ToList();

    public async Task<IReadOnlyList<string>> S3KeysAsync()
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket };
        for (var page = 0; page < 100; page++)
        {
            var response = await S3!.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            if (response.IsTruncated != true)
            {
                return keys.Order().ToList();
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        throw new InvalidOperationException("more than 100 pages of objects");
    }

    public async Task<long?> S3ObjectSizeAsync(string key)
    {
        try
        {
            return (await S3!.GetObjectMetadataAsync(_bucket, key)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Replaces an object with other bytes of the same length: damage that only a digest check notices.</summary>
    public async Task OverwriteS3Async(string key, byte[] data) =>
        await S3!.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = new MemoryStream(data),
            UseChunkEncoding = false,
        });

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        S3?.Dispose();
    }
}
