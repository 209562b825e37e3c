using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Runs each fast-path call through the same code as its gRPC twin.</summary>
internal sealed class FastPathCalls(EntryReads entries, EntryWrites entryWrites, BatchBlobReads blobs, MissingBlobs missingBlobs, BlobUploads uploads, LocalFileBlobs files, DeferredCompileStores deferredStores, StatsSnapshot stats, CompileCounters compiles)
{
    /// <summary>The call's answer; throws a <see cref="RequestRefusedException"/> or a protobuf parse error for what it refuses.</summary>
    public async Task<IMessage> RunAsync(FastPathOp op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        op switch
        {
            FastPathOp.GetEntry => await GetEntryAsync(GetEntryRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.BatchReadBlobs => await BatchReadAsync(BatchReadBlobsRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.RecordCompile => RecordCompile(CompileRecord.Parser.ParseFrom(payload.Span)),
            FastPathOp.FindMissingBlobs => await FindMissingAsync(FindMissingBlobsRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.BatchUpdateBlobs => await BatchUpdateAsync(BatchUpdateBlobsRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.PutEntry => await PutEntryAsync(PutEntryRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.StoreFile => await StoreFileAsync(FileBlobRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.GetStats => stats.Take(),
            FastPathOp.RestoreFile => await RestoreFileAsync(FileBlobRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            FastPathOp.StoreCompile => await StoreCompileAsync(StoreCompileRequest.Parser.ParseFrom(payload.Span), cancellationToken).ConfigureAwait(false),
            _ => throw new RequestRefusedException(Refusal.Unsupported, $"unknown fast-path call {(byte)op}"),
        };

    private Task<Entry> GetEntryAsync(GetEntryRequest request, CancellationToken cancellationToken)
    {
        var ns = RequestArguments.Namespace(request.Namespace);
        var key = RequestArguments.EntryKey(request.Key);
        return entries.GetCompleteAsync(ns, key, request.Key, request.WorkingSet, cancellationToken);
    }

    private Task<BatchReadBlobsResponse> BatchReadAsync(BatchReadBlobsRequest request, CancellationToken cancellationToken) =>
        blobs.ReadAsync(RequestArguments.Namespace(request.Namespace), request.Digests, cancellationToken);

    private Task<FindMissingBlobsResponse> FindMissingAsync(FindMissingBlobsRequest request, CancellationToken cancellationToken) =>
        missingBlobs.FindAsync(RequestArguments.Namespace(request.Namespace), request.Digests, cancellationToken);

    private Task<BatchUpdateBlobsResponse> BatchUpdateAsync(BatchUpdateBlobsRequest request, CancellationToken cancellationToken) =>
        uploads.StoreBatchAsync(RequestArguments.Namespace(request.Namespace), request.Items, cancellationToken);

    private async Task<PutEntryResponse> PutEntryAsync(PutEntryRequest request, CancellationToken cancellationToken)
    {
        await entryWrites.PutAsync(RequestArguments.Namespace(request.Namespace), RequestArguments.EntryKey(request.Key), request.Entry, request.WorkingSet, cancellationToken).ConfigureAwait(false);
        return new PutEntryResponse();
    }

    private Task<FileBlobResponse> StoreFileAsync(FileBlobRequest request, CancellationToken cancellationToken) =>
        files.StoreAsync(RequestArguments.Namespace(request.Namespace), request, cancellationToken);

    private Task<FileBlobResponse> RestoreFileAsync(FileBlobRequest request, CancellationToken cancellationToken) =>
        files.RestoreAsync(RequestArguments.Namespace(request.Namespace), request, cancellationToken);

    private async Task<StoreCompileResponse> StoreCompileAsync(StoreCompileRequest request, CancellationToken cancellationToken)
    {
        await deferredStores.AcceptAsync(RequestArguments.Namespace(request.Namespace), request, cancellationToken).ConfigureAwait(false);
        return new StoreCompileResponse();
    }

    private RecordCompileResponse RecordCompile(CompileRecord record)
    {
        compiles.Record(record);
        return new RecordCompileResponse();
    }
}
