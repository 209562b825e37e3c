using System.Net.Sockets;
using CacheFarm.Protos.Wire;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Accepts fast-path connections on the private socket beside the main one (see <see cref="FastPathProtocol"/>).</summary>
internal sealed class FastPathServer(string socketPath, FastPathDispatcher dispatcher, ILogger<FastPathServer> logger) : BackgroundService
{
    /// <summary>Connections served at once; a build runs one wrapper per core, so this is generous.</summary>
    public const int MaxConnections = 256;

    private int _connections;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        File.Delete(socketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(128);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                if (Interlocked.Increment(ref _connections) > MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    connection.Dispose();
                    continue;
                }
                _ = ServeAsync(connection, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping. Disposing the listener unlinks the socket file.
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stoppingToken)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await new FastPathConnection(stream, dispatcher).RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException)
        {
            logger.LogDebug(e, "fast-path connection closed");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }
}
