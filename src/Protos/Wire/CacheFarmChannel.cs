using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CacheFarm.Protos.Wire;

/// <summary>gRPC channels to a cachefarmd, tuned for blob streams; used by the client and by a daemon's upstream tier.</summary>
public static class CacheFarmChannel
{
    /// <summary>Largest gRPC message either end sends or takes.</summary>
    public const int MaxMessageBytes = 16 << 20;

    /// <summary>Large HTTP/2 windows, connections kept for the process's life and added when streams pile up, no proxy.</summary>
    public static SocketsHttpHandler Handler(TimeSpan connectTimeout) => new()
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

    public static GrpcChannel Create(Uri address, SocketsHttpHandler handler) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            DisposeHttpClient = true,
        });

    /// <summary>The channel's invoker, sending <c>authorization: Bearer</c> with every call when there is a token.</summary>
    public static CallInvoker Invoker(GrpcChannel channel, string? token) =>
        token is null
            ? channel.CreateCallInvoker()
            : channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
}
