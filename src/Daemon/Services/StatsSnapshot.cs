using System.Diagnostics;
using System.Reflection;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>The daemon's <see cref="Stats"/> as of now, for every front door.</summary>
public sealed class StatsSnapshot(ICacheStore store, RequestCounters counters, CompileCounters compiles, PrefetchCounters prefetches, RecentActivityWindow recent)
{
    private static readonly string Version =
        typeof(StatsSnapshot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public Stats Take()
    {
        var stats = new Stats
        {
            Version = Version,
            UptimeSeconds = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds,
            Requests = counters.Snapshot(),
            SinceUnixMs = counters.SinceUnixMs,
            Compiles = compiles.Snapshot(),
            Recent = recent.Current(),
            Pid = Environment.ProcessId,
            Prefetch = prefetches.Snapshot(),
        };
        stats.Tiers.AddRange(store.GetTierStats());
        return stats;
    }
}
