using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Security.Tests;

/// <summary>The bulk-read listener on a daemon with tokens (a real cachefarmd on loopback): a connection reads only after it authenticated with a read token, and only in that token's namespaces.</summary>
public sealed class BulkReadAccessTests
{
    private static readonly TokenFile.Token Reader = new("reader", "bulk-reader-secret", ["read"], ["team"]);
    private static readonly TokenFile.Token Writer = new("writer", "bulk-writer-secret", ["read", "write-blobs", "write-entries"], ["team"]);
    private static readonly TokenFile.Token BlobsOnly = new("blobs-only", "bulk-blobs-only-secret", ["write-blobs"], ["team"]);

    [Fact]
    public async Task A_bulk_connection_reads_only_after_authenticating_with_a_read_token_and_only_in_its_namespaces()
    {
        using var dir = new TempDirectory("cfbulk");
        var bulkPort = FreePort.Next();
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"),
            "--tokens-file", TokenFile.Write(dir.Path, Reader, Writer, BlobsOnly), "--bulk-listen", $"127.0.0.1:{bulkPort}");
        var blob = BlobData.Random(3 << 20, seed: 7);
        var digest = ContentDigest.Of(blob);
        using (var writer = daemon.Client("team", new ClientCredentials { Token = Writer.Secret }))
        {
            Assert.False(await writer.UploadAsync(digest, new MemoryStream(blob), default), "a fresh daemon already had the blob");
        }
        var read = new ReadBlobRequest { Namespace = "team", Digest = digest.ToProto() };

        await using (var anonymous = await BulkReadClient.ConnectAsync(Endpoint(bulkPort, null), default))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.StartReadAsync(read, default));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }
        var unknown = await Assert.ThrowsAsync<RpcException>(() => BulkReadClient.ConnectAsync(Endpoint(bulkPort, "not-a-token"), default));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        var writeOnly = await Assert.ThrowsAsync<RpcException>(() => BulkReadClient.ConnectAsync(Endpoint(bulkPort, BlobsOnly.Secret), default));
        Assert.Equal(StatusCode.PermissionDenied, writeOnly.StatusCode);

        await using var reader = await BulkReadClient.ConnectAsync(Endpoint(bulkPort, Reader.Secret), default);
        Assert.Equal(blob, await ReadAllAsync(reader, read));
        var elsewhere = await Assert.ThrowsAsync<RpcException>(() => reader.StartReadAsync(new ReadBlobRequest { Namespace = "other", Digest = digest.ToProto() }, default));
        Assert.Equal(StatusCode.PermissionDenied, elsewhere.StatusCode);
        // A refusal is a whole answer: the same connection goes on serving.
        var missing = await Assert.ThrowsAsync<RpcException>(() => reader.StartReadAsync(new ReadBlobRequest { Namespace = "team", Digest = ContentDigest.Of(BlobData.Random(100, seed: 8)).ToProto() }, default));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var range = new ReadBlobRequest { Namespace = "team", Digest = digest.ToProto(), Offset = 1_000_000, Limit = 70_000 };
        Assert.Equal(blob.AsSpan(1_000_000, 70_000).ToArray(), await ReadAllAsync(reader, range));
        var entry = await Assert.ThrowsAsync<RpcException>(() => reader.CallAsync(BulkReadOp.GetEntry, new GetEntryRequest { Namespace = "team", Key = new string('a', 64) }, Entry.Parser, default));
        Assert.Equal(StatusCode.NotFound, entry.StatusCode);
        var found = await reader.CallAsync(BulkReadOp.FindMissingBlobs, new FindMissingBlobsRequest { Namespace = "team", Digests = { digest.ToProto() } }, FindMissingBlobsResponse.Parser, default);
        Assert.Empty(found.Missing);

        using var check = daemon.Client("team", new ClientCredentials { Token = Writer.Secret });
        Assert.True((await check.Admin.GetStatsAsync(default)).Requests.BulkReadCalls >= 6);
    }

    [Fact]
    public async Task The_daemon_refuses_a_bulk_listener_beyond_loopback_without_tokens()
    {
        using var dir = new TempDirectory("cfbulk");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DaemonProcess.StartAsync(dir.Path, "--bulk-listen", "0.0.0.0:" + FreePort.Next()));
        Assert.Contains("refusing to listen", ex.Message);
    }

    private static BulkReadEndpoint Endpoint(int port, string? token) => new("127.0.0.1", port, null, token);

    private static async Task<byte[]> ReadAllAsync(BulkReadClient client, ReadBlobRequest request)
    {
        var length = await client.StartReadAsync(request, default);
        var data = new byte[length];
        var at = 0;
        while (at < data.Length)
        {
            at += await client.ReadAsync(data.AsMemory(at), default);
        }
        Assert.Equal(0, await client.ReadAsync(new byte[16], default));
        Assert.True(client.IsIdle);
        return data;
    }
}
