using System.Diagnostics;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Telemetry;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>What every framed call (fast path, bulk reads) shares with gRPC's: refused until the daemon is ready, kept from idle shutdown while it runs, counted and timed.</summary>
internal sealed class FrameCallAccounting(RequestCounters counters, CacheMetrics metrics, ReadinessGate readiness, IdleShutdown idle)
{
    /// <summary>Every op byte's metric name (<c>{door}/{op}</c>), built once: naming the method per request would allocate on every call.</summary>
    public static string[] MethodNames<TOp>(string door)
        where TOp : struct, Enum =>
        Enumerable.Range(0, 256).Select(b => $"{door}/{(TOp)Enum.ToObject(typeof(TOp), (byte)b)}").ToArray();

    /// <summary>Starts a call and returns its start time; end it with <see cref="End"/> whatever happens.</summary>
    public long Begin()
    {
        var start = Stopwatch.GetTimestamp();
        idle.Enter();
        return start;
    }

    /// <summary>Refuses the call unless the daemon is ready.</summary>
    public void EnsureReady()
    {
        if (!readiness.IsReady)
        {
            throw new RequestRefusedException(Refusal.Unavailable, $"cachefarmd is {readiness.State}");
        }
    }

    public void End(long start, string method, StatusCode status, RequestCounter door)
    {
        idle.Leave();
        Interlocked.Increment(ref counters[RequestCounter.Rpcs]);
        Interlocked.Increment(ref counters[door]);
        metrics.RecordRpc(method, status, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
