using System.Collections.Concurrent;

namespace CacheFarm.Protos.Wire;

/// <summary>
/// Bulk-read connections to one daemon, kept open between calls so that TCP and TLS are set up once per connection,
/// not once per read, and bounded: callers beyond <c>maxConnections</c> wait for a connection to come back.
/// </summary>
/// <remarks>Every rented connection goes back exactly once, through <see cref="ReturnAsync"/> or <see cref="Discard"/>.</remarks>
public sealed class BulkReadPool(BulkReadEndpoint endpoint, int maxConnections) : IAsyncDisposable
{
    private readonly ConcurrentQueue<BulkReadClient> _idle = new();
    private readonly SemaphoreSlim _slots = new(maxConnections, maxConnections);
    private volatile bool _disposed;

    /// <summary>An idle connection, or a new one once fewer than the maximum are out.</summary>
    public async ValueTask<BulkReadClient> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_idle.TryDequeue(out var client))
            {
                return client;
            }
            return await BulkReadClient.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Gives back a connection whose call completed; one left mid-answer is closed instead.</summary>
    public async ValueTask ReturnAsync(BulkReadClient client)
    {
        if (!_disposed && client.IsIdle)
        {
            _idle.Enqueue(client);
        }
        else
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        _slots.Release();
    }

    /// <summary>Closes a connection that failed or was left mid-answer.</summary>
    public void Discard(BulkReadClient client)
    {
        client.Dispose();
        _slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var client))
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
