using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.BlobStore</c> contract bound with the pooled marshallers of <see cref="CacheFarmMethods"/>.</summary>
/// <remarks>
/// Plays the part of a generated service base: grpc-dotnet binds the overrides of these methods by
/// name, and only accepts methods declared virtual on the type that carries the binding attribute.
/// </remarks>
[BindServiceMethod(typeof(BlobStoreServiceBase), nameof(BindService))]
public abstract class BlobStoreServiceBase
{
    public static void BindService(ServiceBinderBase binder, BlobStoreServiceBase? service)
    {
        // The handlers are resolved by method name on the service type; the delegates are not used.
        binder.AddMethod(CacheFarmMethods.FindMissingBlobs, (UnaryServerMethod<FindMissingBlobsRequest, FindMissingBlobsResponse>)null!);
        binder.AddMethod(CacheFarmMethods.ReadBlob, (ServerStreamingServerMethod<ReadBlobRequest, BlobChunk>)null!);
        binder.AddMethod(CacheFarmMethods.WriteBlob, (ClientStreamingServerMethod<WriteBlobFrame, WriteBlobResponse>)null!);
        binder.AddMethod(CacheFarmMethods.BatchReadBlobs, (UnaryServerMethod<BatchReadBlobsRequest, BatchReadBlobsResponse>)null!);
        binder.AddMethod(CacheFarmMethods.BatchUpdateBlobs, (UnaryServerMethod<BatchUpdateBlobsRequest, BatchUpdateBlobsResponse>)null!);
    }

    public abstract Task<FindMissingBlobsResponse> FindMissingBlobs(FindMissingBlobsRequest request, ServerCallContext context);

    public abstract Task ReadBlob(ReadBlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context);

    public abstract Task<WriteBlobResponse> WriteBlob(IAsyncStreamReader<WriteBlobFrame> requestStream, ServerCallContext context);

    public abstract Task<BatchReadBlobsResponse> BatchReadBlobs(BatchReadBlobsRequest request, ServerCallContext context);

    public abstract Task<BatchUpdateBlobsResponse> BatchUpdateBlobs(BatchUpdateBlobsRequest request, ServerCallContext context);
}
