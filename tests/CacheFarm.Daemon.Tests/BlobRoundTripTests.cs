using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class BlobRoundTripTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const int Chunk = (1 << 20) - 128;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 64)]
    [InlineData(1 << 20)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(100 << 20)]
    public async Task BlobReadsBackByteIdentical(int size)
    {
        var data = BlobData.Random(size, seed: size);
        var digest = ContentDigest.Of(data).ToProto();
        var written = await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "roundtrip", data, frameBytes: 256 << 10);
        Assert.Equal(size, written.CommittedSize);
        var read = await RawBlobCalls.ReadAsync(fixture.Daemon.Invoker, "roundtrip", digest);
        Assert.Equal(size, read.Length);
        Assert.True(data.AsSpan().SequenceEqual(read), "bytes read back differ from bytes written");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 100)]
    [InlineData(Chunk - 5, 10)]
    [InlineData(Chunk, 0)]
    [InlineData(2 * Chunk - 1, 3)]
    [InlineData(3 * Chunk + 7, 0)]
    public async Task RangedReadReturnsExactlyTheRequestedBytes(long offset, long limit)
    {
        var data = BlobData.Random((3 * Chunk) + 1000, seed: 7);
        var digest = ContentDigest.Of(data).ToProto();
        await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "ranges", data);
        var read = await RawBlobCalls.ReadAsync(fixture.Daemon.Invoker, "ranges", digest, offset, limit);
        var end = limit == 0 ? data.Length : Math.Min(data.Length, offset + limit);
        Assert.Equal(data[(int)offset..(int)end], read);
    }

    [Fact]
    public async Task BlobAlreadyPresentIsAcknowledgedWithoutStoringAgain()
    {
        var data = BlobData.Random(3 << 20, seed: 11);
        var first = await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "dedup", data);
        var second = await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "dedup", data);
        Assert.False(first.AlreadyPresent);
        Assert.True(second.AlreadyPresent);
        Assert.Equal(data.Length, second.CommittedSize);
    }

    [Fact]
    public async Task FindMissingNamesOnlyAbsentBlobs()
    {
        var present = BlobData.Random(5000, seed: 21);
        var absent = BlobData.Random(5000, seed: 22);
        await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "find", present);
        var missing = await RawBlobCalls.FindMissingAsync(fixture.Daemon.Invoker, "find",
            ContentDigest.Of(present).ToProto(), ContentDigest.Of(absent).ToProto(), ContentDigest.Empty.ToProto());
        var only = Assert.Single(missing);
        Assert.Equal(ContentDigest.Of(absent).Hex, only.Hash);
    }

    [Fact]
    public async Task NamespacesDoNotSeeEachOthersBlobs()
    {
        var data = BlobData.Random(4096, seed: 31);
        await RawBlobCalls.WriteAsync(fixture.Daemon.Invoker, "team-a", data);
        var missingInB = await RawBlobCalls.FindMissingAsync(fixture.Daemon.Invoker, "team-b", ContentDigest.Of(data).ToProto());
        Assert.Single(missingInB);
        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => RawBlobCalls.ReadAsync(fixture.Daemon.Invoker, "team-b", ContentDigest.Of(data).ToProto()));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task BatchCallsRoundTripSmallBlobs()
    {
        var blobs = Enumerable.Range(0, 20).Select(i => BlobData.Random(100 * i, seed: 100 + i)).ToArray();
        var update = new Protos.V1.BatchUpdateBlobsRequest { Namespace = "batch" };
        foreach (var blob in blobs)
        {
            update.Items.Add(new Protos.V1.BatchUpdateBlobsRequest.Types.Item { Digest = ContentDigest.Of(blob).ToProto(), Data = Google.Protobuf.ByteString.CopyFrom(blob) });
        }
        var updated = await fixture.Daemon.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchUpdateBlobs, null, default, update);
        Assert.All(updated.Items, item => Assert.Equal(0, item.Status.Code));
        var read = new Protos.V1.BatchReadBlobsRequest { Namespace = "batch" };
        read.Digests.AddRange(blobs.Select(b => ContentDigest.Of(b).ToProto()));
        var answer = await fixture.Daemon.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchReadBlobs, null, default, read);
        Assert.Equal(blobs.Length, answer.Items.Count);
        for (var i = 0; i < blobs.Length; i++)
        {
            Assert.Equal(0, answer.Items[i].Status.Code);
            Assert.Equal(blobs[i], answer.Items[i].Data.ToByteArray());
        }
    }
}
