using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

public sealed class BlobBadInputTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private CallInvoker Invoker => fixture.Daemon.Invoker;

    [Theory]
    [InlineData("xyz")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    public async Task MalformedDigestIsInvalidArgumentNamingTheField(string hash)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.FindMissingAsync(Invoker, "bad", new Digest { Hash = hash, SizeBytes = 1 }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("digests[0].hash", ex.Status.Detail);
        var read = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.ReadAsync(Invoker, "bad", new Digest { Hash = hash, SizeBytes = 1 }));
        Assert.Equal(StatusCode.InvalidArgument, read.StatusCode);
        Assert.Contains("digest.hash", read.Status.Detail);
    }

    [Fact]
    public async Task NegativeSizeIsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.WriteAsync(Invoker, "bad",
            new Digest { Hash = ContentDigest.Empty.Hex, SizeBytes = -5 }, [new byte[3]]));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("size_bytes", ex.Status.Detail);
    }

    [Fact]
    public async Task HashMismatchStoresNothing()
    {
        var claimed = BlobData.Random(2 << 20, seed: 1);
        var sent = BlobData.Random(2 << 20, seed: 2);
        var digest = ContentDigest.Of(claimed).ToProto();
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.WriteAsync(Invoker, "bad", digest, RawBlobCalls.Frames(sent, 1 << 20)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("digest mismatch", ex.Status.Detail);
        Assert.Single(await RawBlobCalls.FindMissingAsync(Invoker, "bad", digest));
    }

    [Fact]
    public async Task ShortStreamStoresNothing()
    {
        var data = BlobData.Random(3 << 20, seed: 3);
        var digest = ContentDigest.Of(data).ToProto();
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.WriteAsync(Invoker, "bad", digest, RawBlobCalls.Frames(data[..(2 << 20)], 1 << 20)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("size mismatch", ex.Status.Detail);
        Assert.Single(await RawBlobCalls.FindMissingAsync(Invoker, "bad", digest));
    }

    [Fact]
    public async Task LongStreamIsStoppedAtTheDeclaredSize()
    {
        var data = BlobData.Random(1 << 20, seed: 4);
        var digest = ContentDigest.Of(data).ToProto();
        var frames = RawBlobCalls.Frames(data, 256 << 10).Append(new byte[100]);
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.WriteAsync(Invoker, "bad", digest, frames));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Single(await RawBlobCalls.FindMissingAsync(Invoker, "bad", digest));
    }

    [Fact]
    public async Task BlobLargerThanTheTierIsResourceExhaustedAndTheDaemonKeepsServing()
    {
        var huge = new Digest { Hash = new string('a', 64), SizeBytes = 2L << 30 };
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.WriteAsync(Invoker, "bad", huge, [new byte[1024]]));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        var small = BlobData.Random(1000, seed: 5);
        Assert.Equal(1000, (await RawBlobCalls.WriteAsync(Invoker, "bad", small)).CommittedSize);
        Assert.Equal(small, await RawBlobCalls.ReadAsync(Invoker, "bad", ContentDigest.Of(small).ToProto()));
    }

    [Fact]
    public async Task TwoConcurrentWritersOfOneBlobBothSucceedAndOneCopyIsStored()
    {
        var data = BlobData.Random(8 << 20, seed: 6);
        using var client = fixture.Daemon.Client();
        var before = (await client.Admin.GetStatsAsync(default)).Requests;
        var writes = await Task.WhenAll(
            RawBlobCalls.WriteAsync(Invoker, "", data, 64 << 10),
            RawBlobCalls.WriteAsync(Invoker, "", data, 64 << 10));
        Assert.All(writes, w => Assert.Equal(data.Length, w.CommittedSize));
        Assert.Single(writes, w => w.AlreadyPresent);
        var after = (await client.Admin.GetStatsAsync(default)).Requests;
        Assert.Equal(1, after.BlobWrites - before.BlobWrites);
        Assert.Equal(1, after.BlobWritesDeduplicated - before.BlobWritesDeduplicated);
        Assert.Equal(data, await RawBlobCalls.ReadAsync(Invoker, "", ContentDigest.Of(data).ToProto()));
    }

    [Fact]
    public async Task ClientThatDisconnectsMidWriteLeavesNothingStored()
    {
        var data = BlobData.Random(6 << 20, seed: 7);
        var digest = ContentDigest.Of(data).ToProto();
        using var cancel = new CancellationTokenSource();
        using (var call = Invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, new CallOptions(cancellationToken: cancel.Token)))
        {
            await call.RequestStream.WriteAsync(new WriteBlobFrame("", digest, PooledChunk.Of(data.AsSpan(0, 1 << 20))));
            await call.RequestStream.WriteAsync(new WriteBlobFrame(null, null, PooledChunk.Of(data.AsSpan(1 << 20, 1 << 20))));
            await cancel.CancelAsync();
        }
        await Task.Delay(500);
        Assert.Single(await RawBlobCalls.FindMissingAsync(Invoker, "", digest));
        Assert.Equal(data.Length, (await RawBlobCalls.WriteAsync(Invoker, "", data)).CommittedSize);
        Assert.Equal(data, await RawBlobCalls.ReadAsync(Invoker, "", digest));
    }

    [Fact]
    public async Task ReadOfAMissingBlobIsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.ReadAsync(Invoker, "", ContentDigest.Of(BlobData.Random(10, 8)).ToProto()));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task OffsetPastTheEndIsOutOfRange()
    {
        var data = BlobData.Random(100, seed: 9);
        await RawBlobCalls.WriteAsync(Invoker, "", data);
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.ReadAsync(Invoker, "", ContentDigest.Of(data).ToProto(), offset: 101));
        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
    }

    [Fact]
    public async Task BadNamespaceIsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => RawBlobCalls.FindMissingAsync(Invoker, "../etc", ContentDigest.Empty.ToProto()));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("namespace", ex.Status.Detail);
    }
}
