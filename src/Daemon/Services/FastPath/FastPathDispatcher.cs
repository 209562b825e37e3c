using System.Diagnostics;
using System.Text;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Runs fast-path calls through the same code as their gRPC twins, with the same counters and metrics.</summary>
internal sealed class FastPathDispatcher(EntryReads entries, EntryWrites entryWrites, BatchBlobReads blobs, MissingBlobs missingBlobs, BlobUploads uploads, LocalFileBlobs files, DeferredCompileStores deferredStores, StatsSnapshot stats, CompileCounters compiles, RequestCounters counters, CacheMetrics metrics, ReadinessGate readiness, IdleShutdown idle)
{
    // Built once: naming the method per request would allocate a string on every call.
    private static readonly string[] MethodNames = Enumerable.Range(0, 256).Select(b => "FastPath/" + (FastPathOp)b).ToArray();

    public async Task<(StatusCode Status, byte[] Body)> DispatchAsync(FastPathOp op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        idle.Enter();
        var status = StatusCode.OK;
        try
        {
            if (!readiness.IsReady)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"cachefarmd is {readiness.State}"));
            }
            IMessage response = op switch
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
                _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"unknown fast-path call {(byte)op}")),
            };
            return (StatusCode.OK, response.ToByteArray());
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            return (status, Encoding.UTF8.GetBytes(e.Status.Detail));
        }
        catch (InvalidProtocolBufferException e)
        {
            status = StatusCode.InvalidArgument;
            return (status, Encoding.UTF8.GetBytes("malformed message: " + e.Message));
        }
        finally
        {
            idle.Leave();
            Interlocked.Increment(ref counters[RequestCounter.Rpcs]);
            metrics.RecordRpc(MethodName(op), status, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private Task<Entry> GetEntryAsync(GetEntryRequest request, CancellationToken cancellationToken)
    {
        var ns = Namespace(request.Namespace);
        var key = RequestArguments.EntryKey(request.Key);
        return entries.GetCompleteAsync(ns, key, request.Key, cancellationToken);
    }

    private Task<BatchReadBlobsResponse> BatchReadAsync(BatchReadBlobsRequest request, CancellationToken cancellationToken) =>
        blobs.ReadAsync(Namespace(request.Namespace), request.Digests, cancellationToken);

    private Task<FindMissingBlobsResponse> FindMissingAsync(FindMissingBlobsRequest request, CancellationToken cancellationToken) =>
        missingBlobs.FindAsync(Namespace(request.Namespace), request.Digests, cancellationToken);

    private Task<BatchUpdateBlobsResponse> BatchUpdateAsync(BatchUpdateBlobsRequest request, CancellationToken cancellationToken) =>
        uploads.StoreBatchAsync(Namespace(request.Namespace), request.Items, cancellationToken);

    private async Task<PutEntryResponse> PutEntryAsync(PutEntryRequest request, CancellationToken cancellationToken)
    {
        await entryWrites.PutAsync(Namespace(request.Namespace), RequestArguments.EntryKey(request.Key), request.Entry, cancellationToken).ConfigureAwait(false);
        return new PutEntryResponse();
    }

    private Task<FileBlobResponse> StoreFileAsync(FileBlobRequest request, CancellationToken cancellationToken) =>
        files.StoreAsync(Namespace(request.Namespace), request, cancellationToken);

    private Task<FileBlobResponse> RestoreFileAsync(FileBlobRequest request, CancellationToken cancellationToken) =>
        files.RestoreAsync(Namespace(request.Namespace), request, cancellationToken);

    private async Task<StoreCompileResponse> StoreCompileAsync(StoreCompileRequest request, CancellationToken cancellationToken)
    {
        await deferredStores.AcceptAsync(Namespace(request.Namespace), request, cancellationToken).ConfigureAwait(false);
        return new StoreCompileResponse();
    }

    private RecordCompileResponse RecordCompile(CompileRecord record)
    {
        compiles.Record(record);
        return new RecordCompileResponse();
    }

    private static string MethodName(FastPathOp op) => MethodNames[(byte)op];

    private static NamespaceId Namespace(string name) =>
        NamespaceId.TryParse(name, out var ns, out var error) ? ns : throw RequestArguments.Invalid($"namespace: {error}");
}
