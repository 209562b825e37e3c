using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.TestSupport;

/// <summary>Blob calls made frame by frame, so tests can send what a well-behaved client never would.</summary>
public static class RawBlobCalls
{
    public static async Task<WriteBlobResponse> WriteAsync(CallInvoker invoker, string @namespace, Digest digest, IEnumerable<byte[]> frames, CancellationToken cancellationToken = default)
    {
        using var call = invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, new CallOptions(cancellationToken: cancellationToken));
        var first = true;
        try
        {
            foreach (var frame in frames)
            {
                var data = PooledChunk.Of(frame);
                await call.RequestStream.WriteAsync(first ? new WriteBlobFrame(@namespace, digest, data) : new WriteBlobFrame(null, null, data), cancellationToken).ConfigureAwait(false);
                first = false;
            }
            if (first)
            {
                await call.RequestStream.WriteAsync(new WriteBlobFrame(@namespace, digest, BlobChunk.Empty), cancellationToken).ConfigureAwait(false);
            }
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The daemon may answer before the stream ends; its answer is read below.
        }
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Writes a blob cut into frames of <paramref name="frameBytes"/>.</summary>
    public static Task<WriteBlobResponse> WriteAsync(CallInvoker invoker, string @namespace, byte[] data, int frameBytes = 1 << 20) =>
        WriteAsync(invoker, @namespace, ContentDigest.Of(data).ToProto(), Frames(data, frameBytes));

    public static async Task<byte[]> ReadAsync(CallInvoker invoker, string @namespace, Digest digest, long offset = 0, long limit = 0, CancellationToken cancellationToken = default)
    {
        var request = new ReadBlobRequest { Namespace = @namespace, Digest = digest, Offset = offset, Limit = limit };
        using var call = invoker.AsyncServerStreamingCall(CacheFarmMethods.ReadBlob, null, new CallOptions(cancellationToken: cancellationToken), request);
        using var buffer = new MemoryStream();
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            using var chunk = call.ResponseStream.Current;
            buffer.Write(chunk.Data.Span);
        }
        return buffer.ToArray();
    }

    public static async Task<IReadOnlyList<Digest>> FindMissingAsync(CallInvoker invoker, string @namespace, params Digest[] digests)
    {
        var request = new FindMissingBlobsRequest { Namespace = @namespace };
        request.Digests.AddRange(digests);
        var response = await invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, default, request).ConfigureAwait(false);
        return response.Missing;
    }

    public static IEnumerable<byte[]> Frames(byte[] data, int frameBytes)
    {
        for (var at = 0; at < data.Length; at += frameBytes)
        {
            yield return data[at..Math.Min(data.Length, at + frameBytes)];
        }
    }
}
