using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Serves the fast-path connections Kestrel accepts on the private socket beside the main one (see <see cref="CacheFarm.Protos.Wire.FastPathProtocol"/>).</summary>
internal sealed class FastPathConnectionHandler(FastPathDispatcher dispatcher, ILogger<FastPathConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>Connections served at once; a build runs one wrapper per core, so this is generous.</summary>
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
            await new FastPathConnection(connection.Transport, dispatcher).RunAsync(closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or InvalidDataException)
        {
            logger.LogDebug(e, "fast-path connection closed");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }
}
