using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.BlobStore</c> service: verified, streamed blob reads and writes.</summary>
public sealed class BlobStoreService(BlobStreamReads streamReads, StreamLimits limits, BatchBlobReads batchReads, MissingBlobs missingBlobs, BlobUploads uploads) : BlobStoreServiceBase
{
    public override Task<FindMissingBlobsResponse> FindMissingBlobs(FindMissingBlobsRequest request, ServerCallContext context) =>
        missingBlobs.FindAsync(RequestArguments.Namespace(request.Namespace, context), request.Digests, context.CancellationToken);

    public override async Task ReadBlob(ReadBlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        try
        {
            await streamReads.StreamAsync(RequestArguments.Namespace(request.Namespace, context), request, new ResponseStreamSink(responseStream), context.CancellationToken).ConfigureAwait(false);
        }
        catch (BlobDataLostException e)
        {
            throw new RpcException(new Status(StatusCode.DataLoss, e.Message));
        }
    }

    public override async Task<WriteBlobResponse> WriteBlob(IAsyncStreamReader<WriteBlobFrame> requestStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw RequestArguments.Invalid("WriteBlob stream was empty; the first message must name the digest");
        }
        using var first = requestStream.Current;
        var ns = RequestArguments.Namespace(first.Namespace, context);
        var digest = RequestArguments.Digest(first.Digest);
        var outcome = await uploads.StoreAsync(ns, digest, FramesAfter(first, requestStream, limits.IdleTimeout, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new WriteBlobResponse { CommittedSize = digest.Size, AlreadyPresent = outcome == UploadOutcome.AlreadyPresent };
    }

    public override Task<BatchReadBlobsResponse> BatchReadBlobs(BatchReadBlobsRequest request, ServerCallContext context) =>
        batchReads.ReadAsync(RequestArguments.Namespace(request.Namespace, context), request.Digests, context.CancellationToken);

    public override Task<BatchUpdateBlobsResponse> BatchUpdateBlobs(BatchUpdateBlobsRequest request, ServerCallContext context) =>
        uploads.StoreBatchAsync(RequestArguments.Namespace(request.Namespace, context), request.Items, context.CancellationToken);

    /// <summary>The data of an upload's frames; a client that goes quiet for the idle timeout is cut off.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> FramesAfter(
        WriteBlobFrame first, IAsyncStreamReader<WriteBlobFrame> stream, TimeSpan idleTimeout, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return first.Data.Data;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            bool more;
            try
            {
                more = await stream.MoveNext(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RequestRefusedException(Refusal.TimedOut, $"upload sent nothing for {idleTimeout.TotalSeconds:0} s");
            }
            if (!more)
            {
                yield break;
            }
            using var frame = stream.Current;
            yield return frame.Data.Data;
        }
    }

    // gRPC's stream learns the length from the blob's digest, and its marshaller disposes each chunk once serialised.
    private sealed class ResponseStreamSink(IServerStreamWriter<BlobChunk> stream) : IBlobStreamSink
    {
        public ValueTask StartAsync(long length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask WriteAsync(BlobChunk chunk, CancellationToken cancellationToken) =>
            await stream.WriteAsync(chunk).ConfigureAwait(false);
    }
}
