using System.Diagnostics;
using System.Text;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>The fast path's edge: refuses calls until the daemon is ready, turns refusals into statuses, and counts and times every call as gRPC's are.</summary>
internal sealed class FastPathDispatcher(FastPathCalls calls, RequestCounters counters, CacheMetrics metrics, ReadinessGate readiness, IdleShutdown idle)
{
    // Built once: naming the method per request would allocate a string on every call.
    private static readonly string[] MethodNames = Enumerable.Range(0, 256).Select(b => "FastPath/" + (FastPathOp)b).ToArray();

    public async Task<(StatusCode Status, byte[] Body)> DispatchAsync(FastPathOp op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        idle.Enter();
        var status = StatusCode.OK;
        try
        {
            if (!readiness.IsReady)
            {
                throw new RequestRefusedException(Refusal.Unavailable, $"cachefarmd is {readiness.State}");
            }
            var response = await calls.RunAsync(op, payload, cancellationToken).ConfigureAwait(false);
            return (StatusCode.OK, response.ToByteArray());
        }
        catch (RequestRefusedException e)
        {
            status = e.Refusal.Code();
            return (status, Encoding.UTF8.GetBytes(e.Message));
        }
        catch (InvalidProtocolBufferException e)
        {
            status = StatusCode.InvalidArgument;
            return (status, Encoding.UTF8.GetBytes("malformed message: " + e.Message));
        }
        finally
        {
            idle.Leave();
            Interlocked.Increment(ref counters[RequestCounter.Rpcs]);
            Interlocked.Increment(ref counters[RequestCounter.FastPathCalls]);
            metrics.RecordRpc(MethodName(op), status, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private static string MethodName(FastPathOp op) => MethodNames[(byte)op];
}
