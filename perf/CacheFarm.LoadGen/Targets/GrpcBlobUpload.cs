using System.Buffers;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.LoadGen.Targets;

/// <summary>Streams one blob through WriteBlob: namespace and digest on the first frame, then data frames.</summary>
internal sealed class GrpcBlobUpload(CallInvoker invoker, string @namespace, int chunkBytes)
{
    public async Task WriteAsync(IBlobPayload payload, CallOptions options)
    {
        var digest = payload.Digest;
        using var call = invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, options);
        try
        {
            await SendFramesAsync(call.RequestStream, payload, options.CancellationToken);
        }
        catch (Exception) when (call.ResponseAsync.IsCompleted)
        {
            // The daemon may answer before the upload ends (blob already present, or rejected);
            // the answer below says which, so the failed write itself carries no information.
        }
        var response = await call.ResponseAsync;
        if (!response.AlreadyPresent && response.CommittedSize != digest.Size)
        {
            throw new BlobMismatchException($"WriteBlob committed {response.CommittedSize} of {digest.Size} bytes of {digest.Hex}");
        }
    }

    private async Task SendFramesAsync(IClientStreamWriter<WriteBlobFrame> stream, IBlobPayload payload, CancellationToken cancellationToken)
    {
        var size = payload.Digest.Size;
        var whole = payload.TryGetMemory(out var memory);
        // Generated payloads are copied chunk by chunk into one reused buffer: each WriteAsync has
        // serialised its frame by the time it completes.
        var buffer = whole ? null : ArrayPool<byte>.Shared.Rent((int)Math.Min(chunkBytes, Math.Max(size, 1)));
        try
        {
            long offset = 0;
            do
            {
                var length = (int)Math.Min(chunkBytes, size - offset);
                ReadOnlyMemory<byte> data;
                if (whole)
                {
                    data = memory.Slice((int)offset, length);
                }
                else
                {
                    payload.CopyTo(offset, buffer.AsSpan(0, length));
                    data = buffer.AsMemory(0, length);
                }
                var first = offset == 0;
                var frame = new WriteBlobFrame(first ? @namespace : null, first ? payload.Digest.ToProto() : null, BlobChunk.Unpooled(data));
                await stream.WriteAsync(frame, cancellationToken);
                offset += length;
            }
            while (offset < size);
            await stream.CompleteAsync();
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
