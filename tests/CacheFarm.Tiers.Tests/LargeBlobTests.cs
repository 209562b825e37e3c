using System.Security.Cryptography;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Tiers.Tests;

public sealed class LargeBlobTests
{
    private const int FrameBytes = 1 << 20;
    private const int Frames = 210;

    [Fact]
    public async Task ABlobLargerThanTheLocalTierGoesThroughS3MultipartAndComesBackIntact()
    {
        using var dir = new TempDirectory("cft");
        await using var s3 = await S3rverProcess.StartAsync();
        // A 256 MiB local tier takes blobs up to 115 MiB: the 210 MiB blob can only live in S3.
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("a"), ["--capacity", "256M", "--log-memory", "64M", .. s3.DaemonArgs]);
        var digest = DigestOf(Generate());

        var response = await RawBlobCalls.WriteAsync(daemon.Invoker, "", digest.ToProto(), Generate());
        Assert.False(response.AlreadyPresent);
        await using var inspect = await RemoteInspection.ConnectAsync(null, s3);
        Assert.Equal(digest.Size, await inspect.S3ObjectSizeAsync(RemoteInspection.S3BlobKey(digest)));
        Assert.Empty(await RawBlobCalls.FindMissingAsync(daemon.Invoker, "", digest.ToProto()));

        await using var reader = await DaemonProcess.StartAsync(dir.Combine("b"), ["--capacity", "256M", "--log-memory", "64M", .. s3.DaemonArgs]);
        Assert.Equal(digest, await ReadDigestAsync(reader, digest));
        var stats = await DaemonStats.TierAsync(reader, "s3");
        Assert.Equal(1, stats.BlobHits);
        Assert.Equal(digest.Size, stats.BytesRead);
        // The spool file that buffered it for verification is gone once it was served.
        Assert.Empty(Directory.Exists(Path.Combine(reader.DataDirectory, "spool")) ? Directory.GetFiles(Path.Combine(reader.DataDirectory, "spool")) : []);
    }

    /// <summary>The same 210 MiB every time, one frame at a time, so the test never holds the whole blob.</summary>
    private static IEnumerable<byte[]> Generate()
    {
        for (var i = 0; i < Frames; i++)
        {
            yield return BlobData.Random(FrameBytes, seed: 5000 + i);
        }
    }

    private static ContentDigest DigestOf(IEnumerable<byte[]> frames)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var size = 0L;
        foreach (var frame in frames)
        {
            hash.AppendData(frame);
            size += frame.Length;
        }
        return ContentDigest.FromHash(hash.GetHashAndReset(), size);
    }

    private static async Task<ContentDigest> ReadDigestAsync(DaemonProcess daemon, ContentDigest digest)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var request = new ReadBlobRequest { Digest = digest.ToProto() };
        using var call = daemon.Invoker.AsyncServerStreamingCall(CacheFarmMethods.ReadBlob, null, new CallOptions(cancellationToken: deadline.Token), request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var size = 0L;
        while (await call.ResponseStream.MoveNext(deadline.Token))
        {
            using var chunk = call.ResponseStream.Current;
            hash.AppendData(chunk.Data.Span);
            size += chunk.Length;
        }
        return ContentDigest.FromHash(hash.GetHashAndReset(), size);
    }
}
