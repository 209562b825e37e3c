using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.Client.Connection;

/// <summary>The gRPC channel to the daemon and its stubs, with the bearer token attached to every call.</summary>
internal sealed class GrpcConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public GrpcConnection(DaemonEndpoint endpoint, TimeSpan connectTimeout, ClientCredentials credentials)
    {
        _channel = DaemonChannel.Create(endpoint, connectTimeout, credentials);
        Invoker = CacheFarmChannel.Invoker(_channel, credentials.Token);
        Entries = new EntryStore.EntryStoreClient(Invoker);
        Admin = new Protos.V1.Admin.AdminClient(Invoker);
    }

    public CallInvoker Invoker { get; }

    public EntryStore.EntryStoreClient Entries { get; }

    public Protos.V1.Admin.AdminClient Admin { get; }

    public void Dispose() => _channel.Dispose();
}
