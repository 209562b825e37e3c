using System.Globalization;
using CacheFarm.Client.Reports;

namespace CacheFarm.Client.Doctor;

/// <summary>The daemon reachable, its remote tiers healthy, and its local tier large enough for the working set.</summary>
public static class CacheHealthCheck
{
    // Evictions of more than this share of the local tier since the daemon started mean the working set does not fit.
    private const double ChurnShare = 0.5;

    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (context.Stats is not { } stats)
        {
            yield return new DoctorFinding("cache", DoctorSeverity.Problem, $"the daemon at {context.Endpoint} cannot be reached", [context.DaemonProblem ?? ""],
                "start it with `cachefarm --start-server`, or check CACHEFARM_ENDPOINT and the network to it");
            yield break;
        }
        yield return new DoctorFinding("cache", DoctorSeverity.Ok, $"daemon {stats.Version} at {context.Endpoint} is up ({stats.UptimeSeconds} s)", []);
        foreach (var tier in stats.Tiers.Where(t => t.Health is not ("healthy" or "")))
        {
            yield return new DoctorFinding("cache", DoctorSeverity.Problem, $"the {tier.Name} tier is {tier.Health}",
                [string.Create(CultureInfo.InvariantCulture, $"{tier.Errors} errors, {tier.Timeouts} timeouts, breaker opened {tier.BreakerOpens} times, {tier.DroppedWrites} writes dropped")],
                "check the tier's server and the network to it; builds go on with the other tiers meanwhile");
        }
        foreach (var tier in stats.Tiers.Where(t => t.CapacityBytes > 0 && t.EvictedBytes > t.CapacityBytes * ChurnShare))
        {
            yield return new DoctorFinding("cache", DoctorSeverity.Problem, $"the {tier.Name} tier is evicting what builds still use",
                [$"{tier.Evictions} evictions, {DurationText.Bytes(tier.EvictedBytes)} evicted since start, capacity {DurationText.Bytes(tier.CapacityBytes)}"],
                "give it more room: capacity in the daemon's config, or CACHEFARM_CAPACITY (e.g. 20G)");
        }
    }
}
