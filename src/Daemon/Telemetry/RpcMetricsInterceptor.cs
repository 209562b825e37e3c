using System.Diagnostics;
using CacheFarm.Daemon.Services;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>Times and counts every gRPC call, refuses calls until the daemon is ready, and writes the optional access log.</summary>
public sealed class RpcMetricsInterceptor(CacheMetrics metrics, RequestCounters counters, ReadinessGate readiness, AccessLog accessLog) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var start = Begin(context);
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            End(context, start, StatusCode.OK);
            return response;
        }
        catch (Exception e)
        {
            End(context, start, StatusOf(e));
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Begin(context);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            End(context, start, StatusCode.OK);
        }
        catch (Exception e)
        {
            End(context, start, StatusOf(e));
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var start = Begin(context);
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            End(context, start, StatusCode.OK);
            return response;
        }
        catch (Exception e)
        {
            End(context, start, StatusOf(e));
            throw;
        }
    }

    private long Begin(ServerCallContext context)
    {
        if (!readiness.IsReady && !context.Method.StartsWith("/grpc.health", StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"cachefarmd is {readiness.State}"));
        }
        return Stopwatch.GetTimestamp();
    }

    private void End(ServerCallContext context, long start, StatusCode status)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        Interlocked.Increment(ref counters[RequestCounter.Rpcs]);
        var method = MethodLabel(context.Method);
        metrics.RecordRpc(method, status, elapsed.TotalSeconds);
        accessLog.Write(method, status, elapsed, context.Peer);
    }

    private static StatusCode StatusOf(Exception e) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        IOException => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>"/cachefarm.v1.BlobStore/ReadBlob" → "BlobStore/ReadBlob".</summary>
    private static string MethodLabel(string method)
    {
        var slash = method.LastIndexOf('/');
        var service = method[..Math.Max(0, slash)];
        var dot = service.LastIndexOf('.');
        return (dot >= 0 ? service[(dot + 1)..] : service.TrimStart('/')) + method[slash..];
    }
}

/// <summary>One line per RPC (method, status, duration, peer) when enabled; never request contents or credentials.</summary>
public sealed class AccessLog(ILoggerFactory loggers, bool enabled)
{
    private readonly ILogger _logger = loggers.CreateLogger("CacheFarm.Access");

    public void Write(string method, StatusCode status, TimeSpan elapsed, string peer)
    {
        if (enabled)
        {
            _logger.LogInformation("{Method} {Status} {DurationMs:0.000} ms {Peer}", method, status, elapsed.TotalMilliseconds, peer);
        }
    }
}
