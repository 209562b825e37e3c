using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Targets;

/// <summary>cachefarmd read through its bulk-read listener, one pooled connection per concurrent user; writes go over gRPC, as runners' do.</summary>
internal sealed class CachefarmdBulkTarget : ICacheTarget
{
    // Reads land in this buffer per call and are only counted, as redis' leases are.
    private const int ReadBufferBytes = 256 << 10;

    private readonly CachefarmdTarget _grpc;
    private readonly BulkReadPool _pool;
    private readonly string _namespace;
    private readonly TimeSpan _operationTimeout;

    public CachefarmdBulkTarget(TargetSpec spec, string @namespace, int writeChunkBytes, TimeSpan operationTimeout, int concurrency)
    {
        Spec = spec;
        _grpc = new CachefarmdTarget(spec, @namespace, writeChunkBytes, operationTimeout);
        var bulk = spec.BulkEndpoint ?? throw new ArgumentException("a bulk target names its bulk-read listener", nameof(spec));
        _pool = new BulkReadPool(new BulkReadEndpoint(bulk.Host, bulk.Port, null, null), concurrency);
        _namespace = @namespace;
        _operationTimeout = operationTimeout;
    }

    public TargetSpec Spec { get; }

    public async Task ReadBlobAsync(ContentDigest digest, BlobReadCheck check, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var client = await _pool.RentAsync(deadline.Token);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            await client.StartReadAsync(new ReadBlobRequest { Namespace = _namespace, Digest = digest.ToProto() }, deadline.Token);
            int read;
            while ((read = await client.ReadAsync(buffer, deadline.Token)) > 0)
            {
                check.Append(buffer.AsSpan(0, read));
            }
            await _pool.ReturnAsync(client);
        }
        catch
        {
            _pool.Discard(client);
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task WriteBlobAsync(IBlobPayload payload, CancellationToken cancellationToken) => _grpc.WriteBlobAsync(payload, cancellationToken);

    public async Task<IReadOnlyList<ContentDigest>> FindMissingAsync(IReadOnlyList<ContentDigest> digests, CancellationToken cancellationToken)
    {
        var request = new FindMissingBlobsRequest { Namespace = _namespace };
        request.Digests.AddRange(digests.Select(d => d.ToProto()));
        var response = await CallAsync(BulkReadOp.FindMissingBlobs, request, FindMissingBlobsResponse.Parser, cancellationToken);
        return FindMissingAnswer.Digests(response);
    }

    public async Task<int> GetEntryAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await CallAsync(BulkReadOp.GetEntry, new GetEntryRequest { Namespace = _namespace, Key = key }, Entry.Parser, cancellationToken);
        return entry.CalculateSize();
    }

    public Task PutEntryAsync(string key, Entry entry, CancellationToken cancellationToken) => _grpc.PutEntryAsync(key, entry, cancellationToken);

    public Task DiscardWrittenBlobsAsync(CancellationToken cancellationToken) => _grpc.DiscardWrittenBlobsAsync(cancellationToken);

    public Task<int?> QueryServerPidAsync(CancellationToken cancellationToken) => _grpc.QueryServerPidAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _grpc.DisposeAsync();
    }

    private async Task<T> CallAsync<T>(BulkReadOp op, Google.Protobuf.IMessage request, Google.Protobuf.MessageParser<T> parser, CancellationToken cancellationToken)
        where T : Google.Protobuf.IMessage<T>
    {
        using var deadline = Deadline(cancellationToken);
        var client = await _pool.RentAsync(deadline.Token);
        try
        {
            var answer = await client.CallAsync(op, request, parser, deadline.Token);
            await _pool.ReturnAsync(client);
            return answer;
        }
        catch
        {
            _pool.Discard(client);
            throw;
        }
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_operationTimeout);
        return deadline;
    }
}
