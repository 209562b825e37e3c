using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.LoadGen.Targets;

/// <summary>cachefarmd over gRPC: blob calls through <see cref="CacheFarmMethods"/> and its pooled marshallers.</summary>
internal sealed class CachefarmdTarget : ICacheTarget
{
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly EntryStore.EntryStoreClient _entries;
    private readonly string _namespace;
    private readonly TimeSpan _operationTimeout;
    private readonly GrpcBlobUpload _upload;

    public CachefarmdTarget(TargetSpec spec, string @namespace, int writeChunkBytes, TimeSpan operationTimeout)
    {
        Spec = spec;
        _channel = TunedGrpcChannel.Create(spec.Endpoint);
        _invoker = _channel.CreateCallInvoker();
        _entries = new EntryStore.EntryStoreClient(_invoker);
        _namespace = @namespace;
        _operationTimeout = operationTimeout;
        _upload = new GrpcBlobUpload(_invoker, @namespace, writeChunkBytes);
    }

    public TargetSpec Spec { get; }

    public async Task ReadBlobAsync(ContentDigest digest, BlobReadCheck check, CancellationToken cancellationToken)
    {
        var request = new ReadBlobRequest { Namespace = _namespace, Digest = digest.ToProto() };
        using var call = _invoker.AsyncServerStreamingCall(CacheFarmMethods.ReadBlob, null, CallOptions(cancellationToken), request);
        // Bounded by the deadline in time and by check.Append (which throws past the blob's size) in bytes.
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            using var chunk = call.ResponseStream.Current;
            check.Append(chunk.Data.Span);
        }
    }

    public Task WriteBlobAsync(IBlobPayload payload, CancellationToken cancellationToken) =>
        _upload.WriteAsync(payload, CallOptions(cancellationToken));

    public async Task<IReadOnlyList<ContentDigest>> FindMissingAsync(
        IReadOnlyList<ContentDigest> digests, CancellationToken cancellationToken)
    {
        var request = new FindMissingBlobsRequest { Namespace = _namespace };
        request.Digests.AddRange(digests.Select(d => d.ToProto()));
        using var call = _invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, CallOptions(cancellationToken), request);
        var response = await call.ResponseAsync;
        return FindMissingAnswer.Digests(response);
    }

    public async Task<int> GetEntryAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await _entries.GetEntryAsync(new GetEntryRequest { Namespace = _namespace, Key = key }, CallOptions(cancellationToken));
        return entry.CalculateSize();
    }

    public async Task PutEntryAsync(string key, Entry entry, CancellationToken cancellationToken) =>
        await _entries.PutEntryAsync(new PutEntryRequest { Namespace = _namespace, Key = key, Entry = entry }, CallOptions(cancellationToken));

    // The daemon has no delete call; its --capacity bounds what fresh writes occupy.
    public Task DiscardWrittenBlobsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The contract does not expose the daemon's pid; it comes from --daemon-pid or --daemon-pidfile.
    public Task<int?> QueryServerPidAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private CallOptions CallOptions(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _operationTimeout, cancellationToken: cancellationToken);
}
