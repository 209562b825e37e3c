using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Serves length-prefixed frame connections Kestrel accepts (the fast path's socket, the bulk-read listener): bounds how many run at once and ends them quietly when the client or the daemon goes away.</summary>
internal abstract class FrameConnectionHandler(ILogger logger) : ConnectionHandler
{
    /// <summary>Connections served at once; a build runs one wrapper per core and a runner pools a few, so this is generous.</summary>
    public const int MaxConnections = 256;

    private int _connections;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        try
        {
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                // Returning closes the connection; the client then uses gRPC.
                return;
            }
            // A stopping daemon asks its connections to close before it aborts them.
            var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, closeRequested);
            await ServeAsync(connection, closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or InvalidDataException)
        {
            logger.LogDebug(e, "frame connection closed");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    protected abstract Task ServeAsync(ConnectionContext connection, CancellationToken cancellationToken);
}
