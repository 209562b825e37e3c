using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CacheFarm.Daemon.Security;

/// <summary>
/// Authenticates each call's bearer token and checks the method's scope; the namespace is checked
/// where the request names it (<see cref="CallAuthorization"/>). Without a token table every call passes.
/// </summary>
public sealed class AuthInterceptor(TokenTable? tokens) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (tokens is null || MethodScopes.IsPublic(context.Method))
        {
            return;
        }
        var scope = MethodScopes.For(context.Method)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"{context.Method} is not open to tokens"));
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length > 4096)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a bearer token is required (authorization: Bearer <token>)"));
        }
        var grant = tokens.Find(header["Bearer ".Length..].Trim())
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown token"));
        if (!grant.Allows(scope))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"token '{grant.Name}' lacks the '{ScopeNames.Name(scope)}' scope"));
        }
        if (grant.RateLimiter is { } limiter && !limiter.TryAcquire())
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"token '{grant.Name}' is over its request rate"));
        }
        CallAuthorization.Set(context, grant);
    }
}
