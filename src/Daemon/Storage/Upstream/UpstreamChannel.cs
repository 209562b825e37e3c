using CacheFarm.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>The one HTTP/2 channel a daemon keeps to its upstream: every rustc call's lookups share its connections, so TLS is set up once, not once per call.</summary>
internal static class UpstreamChannel
{
    public static (GrpcChannel Channel, CallInvoker Invoker) Create(UpstreamTierOptions options)
    {
        var handler = CacheFarmChannel.Handler(options.Timeout);
        if (options.CaFile is { } caFile)
        {
            CertificateAuthority.TrustOnly(handler.SslOptions, caFile);
        }
        var channel = CacheFarmChannel.Create(options.Endpoint!, handler);
        return (channel, CacheFarmChannel.Invoker(channel, options.Token));
    }
}
