using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CacheFarm.Daemon.Services;

/// <summary>The gRPC edge of <see cref="RequestRefusedException"/>: a refusal leaves the call as the matching status.</summary>
public sealed class RefusalInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RequestRefusedException e)
        {
            throw AsRpc(e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (RequestRefusedException e)
        {
            throw AsRpc(e);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (RequestRefusedException e)
        {
            throw AsRpc(e);
        }
    }

    private static RpcException AsRpc(RequestRefusedException refused) => new(new Status(refused.Refusal.Code(), refused.Message));
}
