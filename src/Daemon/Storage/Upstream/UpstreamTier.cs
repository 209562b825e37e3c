using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>A shared cachefarmd as a remote tier: a runner-local daemon reads through it and writes behind to it over one pooled channel.</summary>
/// <remarks>
/// The runner holds one bearer token and no store credentials. Blobs arrive as streams the chain
/// verifies like any remote tier's; entries are wrapped in the chain's envelope here, since the
/// upstream serves parsed entries (each only when every blob it names is present).
/// </remarks>
internal sealed class UpstreamTier : ICacheTier
{
    private static readonly TimeSpan IncompleteEntryWait = TimeSpan.FromSeconds(10);

    private readonly UpstreamTierOptions _options;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly EntryStore.EntryStoreClient _entries;
    private readonly UpstreamBlobBatcher _batches;
    // Reads go here when the upstream has a bulk-read listener; writes stay on gRPC.
    private readonly UpstreamBulkReads? _bulk;
    // Set by the first write the upstream refuses for want of permission (a read-only token): later writes are not sent.
    private volatile string? _writesRefused;

    public UpstreamTier(UpstreamTierOptions options)
    {
        _options = options;
        (_channel, _invoker) = UpstreamChannel.Create(options);
        _entries = new EntryStore.EntryStoreClient(_invoker);
        _batches = new UpstreamBlobBatcher(BatchReadAsync);
        _bulk = options.BulkEndpoint is null ? null : UpstreamBulkReads.Create(options);
    }

    public string Name => "upstream";

    public long MaxBlobSize => _options.MaxBlobSize;

    public bool TrustedReads => false;

    public bool IsDisconnected => false;

    public async ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var request = new FindMissingBlobsRequest { Namespace = ns.Name, Digests = { digest.ToProto() } };
        var response = await AnswerAsync(
            _bulk is null
                ? _invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, Options(cancellationToken), request).ResponseAsync
                : _bulk.CallAsync(BulkReadOp.FindMissingBlobs, request, FindMissingBlobsResponse.Parser, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.Missing.Count == 0;
    }

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size <= UpstreamBlobBatcher.MaxBlobSize)
        {
            var batched = await _batches.ReadAsync(ns, digest, cancellationToken).ConfigureAwait(false);
            if (batched.Missing)
            {
                return null;
            }
            if (batched.Bytes is { } bytes)
            {
                return new HeldBlobReader(bytes);
            }
        }
        if (_bulk is not null)
        {
            return await AnswerAsync(_bulk.OpenAsync(ns, digest, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        return await UpstreamBlobReader.OpenAsync(this, ns, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One BatchReadBlobs call for the batcher; it serves several lookups, so no one caller's cancellation ends it.</summary>
    private Task<BatchReadBlobsResponse> BatchReadAsync(NamespaceId ns, IReadOnlyList<ContentDigest> digests)
    {
        var request = new BatchReadBlobsRequest { Namespace = ns.Name };
        request.Digests.AddRange(digests.Select(d => d.ToProto()));
        return AnswerAsync(
            _bulk is null
                ? _invoker.AsyncUnaryCall(CacheFarmMethods.BatchReadBlobs, null, Options(CancellationToken.None), request).ResponseAsync
                : _bulk.CallAsync(BulkReadOp.BatchReadBlobs, request, BatchReadBlobsResponse.Parser, CancellationToken.None),
            CancellationToken.None);
    }

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size > MaxBlobSize)
        {
            throw new StorageFullException($"blob of {digest.Size} bytes exceeds the upstream tier's limit of {MaxBlobSize} bytes");
        }
        ThrowIfWritesRefused();
        var call = _invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, new CallOptions(cancellationToken: cancellationToken));
        return ValueTask.FromResult<IBlobWriter>(new UpstreamBlobWriter(this, call, ns.Name, digest));
    }

    /// <summary>Nothing to do: the upstream verifies what it stores and checks its records on read, so a copy that fails here was damaged in transit.</summary>
    public ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc cref="DeleteBlobAsync"/>
    public ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var request = new GetEntryRequest { Namespace = ns.Name, Key = Convert.ToHexStringLower(key.Span) };
        try
        {
            var entry = await AnswerAsync(
                _bulk is null
                    ? _entries.GetEntryAsync(request, Options(cancellationToken)).ResponseAsync
                    : _bulk.CallAsync(BulkReadOp.GetEntry, request, Entry.Parser, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return EntryEnvelope.Wrap(entry.ToByteArray());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Stores the entry upstream, waiting a little for its blobs: write-behind sends them on other workers, and the upstream takes an entry only once they are all there.</summary>
    /// <exception cref="TierRefusedException">The blobs did not arrive in time, or the token may not write.</exception>
    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        ThrowIfWritesRefused();
        if (!EntryEnvelope.TryUnwrap(entry, out var payload))
        {
            throw new ArgumentException("the chain hands remote tiers enveloped entries", nameof(entry));
        }
        var request = new PutEntryRequest { Namespace = ns.Name, Key = Convert.ToHexStringLower(key.Span), Entry = Entry.Parser.ParseFrom(payload.Span) };
        var giveUp = DateTime.UtcNow + IncompleteEntryWait;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var put = _entries.PutEntryAsync(request, Options(cancellationToken)).ResponseAsync;
            try
            {
                await put.ConfigureAwait(false);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
            catch (RpcException)
            {
                await AnswerAsync(put, cancellationToken, write: true).ConfigureAwait(false);
            }
        }
    }

    internal AsyncServerStreamingCall<BlobChunk> StartRead(NamespaceId ns, ContentDigest digest, long offset, long limit) =>
        _invoker.AsyncServerStreamingCall(
            CacheFarmMethods.ReadBlob, null, default,
            new ReadBlobRequest { Namespace = ns.Name, Digest = digest.ToProto(), Offset = offset, Limit = limit });

    /// <summary>The stream's next chunk, or null at its end; each wait is bounded by the tier's timeout.</summary>
    internal async Task<BlobChunk?> NextChunkAsync(AsyncServerStreamingCall<BlobChunk> call, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_options.Timeout);
        try
        {
            return await call.ResponseStream.MoveNext(wait.Token).ConfigureAwait(false) ? call.ResponseStream.Current : null;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the upstream sent nothing for {_options.Timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Awaits an upstream answer, turning refusals into <see cref="TierRefusedException"/> and a missed deadline into <see cref="TimeoutException"/>.</summary>
    /// <remarks>A <paramref name="write"/> refused for want of permission stops all later writes: the token is read-only.</remarks>
    internal async Task<T> AnswerAsync<T>(Task<T> answer, CancellationToken cancellationToken, bool write = false)
    {
        try
        {
            return await answer.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            if (write)
            {
                _writesRefused ??= e.Status.Detail;
            }
            throw new TierRefusedException($"the upstream refused the token: {e.Status.Detail}");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.ResourceExhausted)
        {
            throw new TierRefusedException($"the upstream refused the request: {e.Status.Detail}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the upstream did not answer in {_options.Timeout.TotalSeconds:0.#} s");
        }
    }

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _options.Timeout, cancellationToken: cancellationToken);

    private void ThrowIfWritesRefused()
    {
        if (_writesRefused is { } why)
        {
            throw new TierRefusedException($"the upstream refuses this daemon's writes ({why})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (_bulk is not null)
        {
            await _bulk.DisposeAsync().ConfigureAwait(false);
        }
    }
}
