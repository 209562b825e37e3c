using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using CacheFarm.Daemon.Telemetry;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.BlobStore</c> service: verified, streamed blob reads and writes.</summary>
public sealed class BlobStoreService(ICacheStore store, BlobWriteLocks writeLocks, RequestCounters counters, CacheMetrics metrics, StreamLimits limits, BatchBlobReads batchReads) : BlobStoreServiceBase
{
    public const int MaxDigestsPerRequest = 10_000;

    public override async Task<FindMissingBlobsResponse> FindMissingBlobs(FindMissingBlobsRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        if (request.Digests.Count > MaxDigestsPerRequest)
        {
            throw RequestArguments.Invalid($"digests: at most {MaxDigestsPerRequest} per request, got {request.Digests.Count}");
        }
        Interlocked.Increment(ref counters.FindMissingCalls);
        var response = new FindMissingBlobsResponse();
        for (var i = 0; i < request.Digests.Count; i++)
        {
            var digest = RequestArguments.Digest(request.Digests[i], $"digests[{i}]");
            if (!await store.ContainsBlobAsync(ns, digest, context.CancellationToken).ConfigureAwait(false))
            {
                response.Missing.Add(request.Digests[i]);
            }
        }
        return response;
    }

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
        Interlocked.Increment(ref counters.BlobReads);
        var reader = await store.OpenBlobAsync(ns, digest, context.CancellationToken).ConfigureAwait(false);
        metrics.RecordLookup("blob", ns, reader is not null);
        if (reader is null)
        {
            throw NotFound(digest);
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
            throw sent == 0 ? NotFound(digest) : new RpcException(new Status(StatusCode.DataLoss, e.Message));
        }
        Interlocked.Increment(ref counters.BlobReadHits);
        Interlocked.Add(ref counters.BytesRead, sent);
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
        var upload = new VerifiedUpload(store, writeLocks, ns, digest);
        try
        {
            var outcome = await upload.RunAsync(FramesAfter(first, requestStream, limits.IdleTimeout, cancellationToken), cancellationToken).ConfigureAwait(false);
            CountWrite(outcome, digest);
            return new WriteBlobResponse { CommittedSize = digest.Size, AlreadyPresent = outcome == UploadOutcome.AlreadyPresent };
        }
        catch (RpcException)
        {
            Interlocked.Increment(ref counters.BlobWriteRejections);
            throw;
        }
    }

    public override Task<BatchReadBlobsResponse> BatchReadBlobs(BatchReadBlobsRequest request, ServerCallContext context) =>
        batchReads.ReadAsync(RequestArguments.Namespace(request.Namespace, context), request.Digests, context.CancellationToken);

    public override async Task<BatchUpdateBlobsResponse> BatchUpdateBlobs(BatchUpdateBlobsRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var response = new BatchUpdateBlobsResponse();
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            var result = new BatchUpdateBlobsResponse.Types.Item { Digest = item.Digest };
            response.Items.Add(result);
            if (!ContentDigest.TryParse(item.Digest, out var digest, out var error, $"items[{i}].digest"))
            {
                result.Status = ItemStatuses.Of(StatusCode.InvalidArgument, error);
                Interlocked.Increment(ref counters.BlobWriteRejections);
                continue;
            }
            try
            {
                var upload = new VerifiedUpload(store, writeLocks, ns, digest);
                var outcome = await upload.RunAsync(Single(item.Data.Memory), context.CancellationToken).ConfigureAwait(false);
                CountWrite(outcome, digest);
                result.Status = ItemStatuses.Ok;
            }
            catch (RpcException e)
            {
                Interlocked.Increment(ref counters.BlobWriteRejections);
                result.Status = ItemStatuses.Of(e.StatusCode, e.Status.Detail);
            }
        }
        return response;
    }

    private void CountWrite(UploadOutcome outcome, ContentDigest digest)
    {
        if (outcome == UploadOutcome.AlreadyPresent)
        {
            Interlocked.Increment(ref counters.BlobWritesDeduplicated);
            return;
        }
        Interlocked.Increment(ref counters.BlobWrites);
        Interlocked.Add(ref counters.BytesWritten, digest.Size);
    }

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
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"upload sent nothing for {idleTimeout.TotalSeconds:0} s"));
            }
            if (!more)
            {
                yield break;
            }
            using var frame = stream.Current;
            yield return frame.Data.Data;
        }
    }

#pragma warning disable CS1998 // A one-item stream has nothing to await.
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Single(ReadOnlyMemory<byte> data)
    {
        yield return data;
    }
#pragma warning restore CS1998

    private static RpcException NotFound(ContentDigest digest) =>
        new(new Status(StatusCode.NotFound, $"blob {digest.Hex}/{digest.Size} not found"));
}
