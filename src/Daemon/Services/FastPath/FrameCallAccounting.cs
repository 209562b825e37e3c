using System.Diagnostics;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Telemetry;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>What every framed call (fast path, bulk reads) shares with gRPC's: refused until the daemon is ready, kept from idle shutdown while it runs, counted and timed.</summary>
internal sealed class FrameCallAccounting(RequestCounters counters, CacheMetrics metrics, ReadinessGate readiness, IdleShutdown idle)
{
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
