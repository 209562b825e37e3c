using System.Buffers.Binary;
using System.Net.Sockets;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

/// <summary>The bulk-read listener's framing, seen from a raw TCP socket against a real cachefarmd.</summary>
public sealed class BulkReadListenerTests
{
    [Fact]
    public async Task Requests_sent_together_are_all_answered_in_order()
    {
        using var dir = new TempDirectory("cfbulkl");
        var bulkPort = FreePort.Next();
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"), "--bulk-listen", $"127.0.0.1:{bulkPort}");
        var stored = BlobData.Random(5_000, seed: 1);
        await RawBlobCalls.WriteAsync(daemon.Invoker, "", stored);
        var storedDigest = ContentDigest.Of(stored).ToProto();
        var absentDigest = ContentDigest.Of(BlobData.Random(5_000, seed: 2)).ToProto();

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", bulkPort);
        // Three requests in one send: a present blob, an absent entry, an absent blob.
        var frames = Frame(BulkReadOp.FindMissingBlobs, new FindMissingBlobsRequest { Digests = { storedDigest } })
            .Concat(Frame(BulkReadOp.GetEntry, new GetEntryRequest { Key = new string('a', 64) }))
            .Concat(Frame(BulkReadOp.FindMissingBlobs, new FindMissingBlobsRequest { Digests = { absentDigest } }))
            .ToArray();
        await socket.SendAsync(frames);
        await using var stream = new NetworkStream(socket);

        var (first, firstBody) = await AnswerAsync(stream);
        Assert.Equal(StatusCode.OK, first);
        Assert.Empty(FindMissingBlobsResponse.Parser.ParseFrom(firstBody).Missing);
        var (second, _) = await AnswerAsync(stream);
        Assert.Equal(StatusCode.NotFound, second);
        var (third, thirdBody) = await AnswerAsync(stream);
        Assert.Equal(StatusCode.OK, third);
        Assert.Equal(absentDigest, Assert.Single(FindMissingBlobsResponse.Parser.ParseFrom(thirdBody).Missing));
    }

    private static byte[] Frame(BulkReadOp op, IMessage request)
    {
        var body = request.ToByteArray();
        var frame = new byte[FastPathProtocol.HeaderBytes + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(body.Length + 1));
        frame[FastPathProtocol.HeaderBytes - 1] = (byte)op;
        body.CopyTo(frame, FastPathProtocol.HeaderBytes);
        return frame;
    }

    private static async Task<(StatusCode Status, byte[] Body)> AnswerAsync(NetworkStream stream)
    {
        var header = new byte[FastPathProtocol.HeaderBytes];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(header, timeout.Token);
        var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header) - 1];
        await stream.ReadExactlyAsync(body, timeout.Token);
        return ((StatusCode)header[FastPathProtocol.HeaderBytes - 1], body);
    }
}
