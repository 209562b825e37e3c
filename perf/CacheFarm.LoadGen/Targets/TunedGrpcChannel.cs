using System.Net.Sockets;
using CacheFarm.LoadGen.Cli;
using Grpc.Net.Client;

namespace CacheFarm.LoadGen.Targets;

/// <summary>Builds the one gRPC channel a run uses, with the client settings measured best for 1 MiB blobs (see perf/README.md).</summary>
internal static class TunedGrpcChannel
{
    private const int MiB = 1024 * 1024;

    public static GrpcChannel Create(LoopbackEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            // The default 768 KiB window stalls a 1 MiB response on every read; 8 MiB was worth 23%.
            InitialHttp2StreamWindowSize = 8 * MiB,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
        };
        if (endpoint.UnixSocketPath is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
        }
        var address = endpoint.IsUnixSocket ? "http://localhost" : $"http://{endpoint.UriHost}:{endpoint.Port}";
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 16 * MiB,
            MaxSendMessageSize = 16 * MiB,
        });
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
