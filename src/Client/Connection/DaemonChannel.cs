using System.Net.Sockets;
using CacheFarm.Protos.Wire;
using Grpc.Net.Client;

namespace CacheFarm.Client.Connection;

/// <summary>Creates the gRPC channel to the daemon: over its Unix socket or TCP, with the client's TLS settings.</summary>
public static class DaemonChannel
{
    public static GrpcChannel Create(DaemonEndpoint endpoint, TimeSpan connectTimeout, ClientCredentials? credentials = null)
    {
        var handler = CacheFarmChannel.Handler(connectTimeout);
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
        return CacheFarmChannel.Create(address, handler);
    }
}
