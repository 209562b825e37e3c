using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.BlobStore</c> service: verified, streamed blob reads and writes.</summary>
public sealed class BlobStoreService(ICacheStore store, RequestCounters counters, CacheMetrics metrics, StreamLimits limits, BatchBlobReads batchReads, MissingBlobs missingBlobs, BlobUploads uploads) : BlobStoreServiceBase
{
    public override Task<FindMissingBlobsResponse> FindMissingBlobs(FindMissingBlobsRequest request, ServerCallContext context) =>
        missingBlobs.FindAsync(RequestArguments.Namespace(request.Namespace, context), request.Digests, context.CancellationToken);

    public override async Task ReadBlob(ReadBlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var digest = RequestArguments.Digest(request.Digest);
        if (request.Offset < 0 || request.Limit < 0)
        {
            throw RequestArguments.Invalid("offset and limit must not be negative");
        }
        if (request.Offset > digest.Size)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"offset {request.Offset} is past the end of a {digest.Size}-byte blob"));
        }
        Interlocked.Increment(ref counters[RequestCounter.BlobReads]);
        using var reader = await store.OpenBlobAsync(ns, digest, context.CancellationToken).ConfigureAwait(false);
        metrics.RecordLookup("blob", ns, reader is not null);
        if (reader is null)
        {
            throw RequestRefusedException.BlobNotFound(digest);
        }
        var length = request.Limit == 0 ? digest.Size - request.Offset : Math.Min(request.Limit, digest.Size - request.Offset);
        await using var chunks = reader.ReadAsync(request.Offset, length, context.CancellationToken).GetAsyncEnumerator(context.CancellationToken);
        var sent = 0L;
        try
        {
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                var size = chunks.Current.Length;
                await responseStream.WriteAsync(chunks.Current).ConfigureAwait(false);
                sent += size;
            }
        }
        catch (BlobUnavailableException e)
        {
            // Before the first byte this is an ordinary miss; after it the client must discard what it got.
            if (sent == 0)
            {
                throw RequestRefusedException.BlobNotFound(digest);
            }
            throw new RpcException(new Status(StatusCode.DataLoss, e.Message));
        }
        Interlocked.Increment(ref counters[RequestCounter.BlobReadHits]);
        Interlocked.Add(ref counters[RequestCounter.BytesRead], sent);
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
}
