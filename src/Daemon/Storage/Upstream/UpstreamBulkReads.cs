using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>The upstream's reads over its bulk-read listener: pooled connections, TLS and the token set up once per connection, each call bounded by the tier's timeout.</summary>
/// <remarks>Refusals arrive as the <see cref="RpcException"/>s gRPC would give, so the tier maps them the same way.</remarks>
internal sealed class UpstreamBulkReads(BulkReadPool pool, TimeSpan timeout) : IAsyncDisposable
{
    // Enough for the concurrent lookups and prefetches of a build on a many-core runner; more would only queue on the upstream's cores.
    public const int MaxConnections = 16;

    // Each read of a streamed blob hands on up to this much at a time.
    private const int ChunkBytes = 256 << 10;

    public static UpstreamBulkReads Create(UpstreamTierOptions options)
    {
        var endpoint = BulkReadEndpoint.Parse(options.BulkEndpoint!, options.Endpoint!.Scheme == Uri.UriSchemeHttps, options.CaFile, options.Token);
        return new UpstreamBulkReads(new BulkReadPool(endpoint, MaxConnections), options.Timeout);
    }

    public Task<T> CallAsync<T>(BulkReadOp op, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T> =>
        OnConnectionAsync((client, deadline) => client.CallAsync(op, request, parser, deadline), holdsConnection: _ => false, cancellationToken);

    /// <summary>Starts reading a blob's range; null when the upstream does not hold the blob.</summary>
    public async Task<IBlobReader?> OpenAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var request = new ReadBlobRequest { Namespace = ns.Name, Digest = digest.ToProto() };
        var opened = await StartAsync(request, cancellationToken).ConfigureAwait(false);
        return opened is null ? null : new UpstreamBulkBlobReader(this, ns, digest, opened);
    }

    /// <summary>A connection with the range's bytes on their way, or null for a miss.</summary>
    internal Task<BulkReadClient?> StartAsync(ReadBlobRequest request, CancellationToken cancellationToken) =>
        OnConnectionAsync<BulkReadClient?>(async (client, deadline) =>
        {
            try
            {
                await client.StartReadAsync(request, deadline).ConfigureAwait(false);
                return client;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }, holdsConnection: opened => opened is not null, cancellationToken);

    // Runs a call on a pooled connection within the tier's deadline. The connection goes back to the pool unless the
    // result holds it (a blob on its way); a refusal is a whole answer, so it goes back then too; any other failure closes it.
    private async Task<T> OnConnectionAsync<T>(Func<BulkReadClient, CancellationToken, Task<T>> call, Func<T, bool> holdsConnection, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var client = await RentAsync(deadline, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await call(client, deadline.Token).ConfigureAwait(false);
            if (!holdsConnection(result))
            {
                await pool.ReturnAsync(client).ConfigureAwait(false);
            }
            return result;
        }
        catch (RpcException)
        {
            await pool.ReturnAsync(client).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            pool.Discard(client);
            throw TimedOutOr(e, cancellationToken);
        }
    }

    /// <summary>Closes a connection left part-way through a blob.</summary>
    internal void Discard(BulkReadClient client) => pool.Discard(client);

    /// <summary>The next chunk of the range <paramref name="client"/> is reading, or null at its end (the connection then goes back to the pool).</summary>
    internal async Task<BlobChunk?> NextChunkAsync(BulkReadClient client, long left, CancellationToken cancellationToken)
    {
        if (left == 0)
        {
            await pool.ReturnAsync(client).ConfigureAwait(false);
            return null;
        }
        using var deadline = Deadline(cancellationToken);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, left));
        try
        {
            var filled = 0;
            while (filled < buffer.Length && filled < left)
            {
                var read = await client.ReadAsync(buffer.AsMemory(filled, (int)Math.Min(buffer.Length - filled, left - filled)), deadline.Token).ConfigureAwait(false);
                filled += read;
            }
            return BlobChunk.FromRented(buffer, filled);
        }
        catch (Exception e)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw TimedOutOr(e, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => pool.DisposeAsync();

    private async Task<BulkReadClient> RentAsync(CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await pool.RentAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw TimedOutOr(e, cancellationToken);
        }
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }

    // The tier's deadline passing is a timeout, which the chain counts against the breaker; the caller's own cancellation stays one.
    private Exception TimedOutOr(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && !cancellationToken.IsCancellationRequested
            ? new TimeoutException($"the upstream's bulk reads did not answer in {timeout.TotalSeconds:0.#} s")
            : e;
}
