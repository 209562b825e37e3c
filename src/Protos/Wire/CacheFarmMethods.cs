using CacheFarm.Protos.V1;
using Grpc.Core;

namespace CacheFarm.Protos.Wire;

/// <summary>
/// Method descriptors of <c>cachefarm.v1.BlobStore</c> with the pooled marshallers. The daemon binds its
/// blob service with these and every in-tree client calls through them; third-party clients can use
/// the generated stubs, the bytes on the wire are the same.
/// </summary>
public static class CacheFarmMethods
{
    public const string BlobStoreService = "cachefarm.v1.BlobStore";

    public static Method<FindMissingBlobsRequest, FindMissingBlobsResponse> FindMissingBlobs { get; } = new(
        MethodType.Unary, BlobStoreService, nameof(FindMissingBlobs),
        ProtobufMarshaller.For(FindMissingBlobsRequest.Parser), ProtobufMarshaller.For(FindMissingBlobsResponse.Parser));

    public static Method<ReadBlobRequest, BlobChunk> ReadBlob { get; } = new(
        MethodType.ServerStreaming, BlobStoreService, nameof(ReadBlob),
        ProtobufMarshaller.For(ReadBlobRequest.Parser), BlobChunkMarshaller.Instance);

    public static Method<WriteBlobFrame, WriteBlobResponse> WriteBlob { get; } = new(
        MethodType.ClientStreaming, BlobStoreService, nameof(WriteBlob),
        WriteBlobFrameMarshaller.Instance, ProtobufMarshaller.For(WriteBlobResponse.Parser));

    public static Method<BatchReadBlobsRequest, BatchReadBlobsResponse> BatchReadBlobs { get; } = new(
        MethodType.Unary, BlobStoreService, nameof(BatchReadBlobs),
        ProtobufMarshaller.For(BatchReadBlobsRequest.Parser), ProtobufMarshaller.For(BatchReadBlobsResponse.Parser));

    public static Method<BatchUpdateBlobsRequest, BatchUpdateBlobsResponse> BatchUpdateBlobs { get; } = new(
        MethodType.Unary, BlobStoreService, nameof(BatchUpdateBlobs),
        ProtobufMarshaller.For(BatchUpdateBlobsRequest.Parser), ProtobufMarshaller.For(BatchUpdateBlobsResponse.Parser));
}
