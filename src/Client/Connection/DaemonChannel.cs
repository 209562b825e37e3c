using System.Net.Sockets;
using Grpc.Net.Client;

namespace CacheFarm.Client.Connection;

/// <summary>Creates the gRPC channel to the daemon, tuned for blob streams (large HTTP/2 windows, no proxy).</summary>
public static class DaemonChannel
{
    public const int MaxMessageBytes = 16 << 20;

    public static GrpcChannel Create(DaemonEndpoint endpoint, TimeSpan connectTimeout, ClientCredentials? credentials = null)
    {
        var handler = new SocketsHttpHandler
        {
            // An 8 MiB stream window lets a 1 MiB blob arrive without waiting for WINDOW_UPDATEs.
            InitialHttp2StreamWindowSize = 8 << 20,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            ConnectTimeout = connectTimeout,
        };
        if (credentials is not null)
        {
            ClientTls.Apply(handler.SslOptions, credentials);
        }
        var address = endpoint.Address ?? new Uri("http://localhost");
        if (endpoint.SocketPath is { } socketPath)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            DisposeHttpClient = true,
        });
    }
}
