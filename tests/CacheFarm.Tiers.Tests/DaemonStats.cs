using CacheFarm.Protos.V1;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>Reads a daemon's tier stats and waits (bounded) for them to reach a state.</summary>
internal static class DaemonStats
{
    public static async Task<Stats> GetAsync(DaemonProcess daemon)
    {
        using var client = daemon.Client();
        return await client.Admin.GetStatsAsync(default);
    }

    public static async Task<TierStats> TierAsync(DaemonProcess daemon, string name) => Tier(await GetAsync(daemon), name);

    public static TierStats Tier(Stats stats, string name) =>
        stats.Tiers.SingleOrDefault(t => t.Name == name) ?? throw new Xunit.Sdk.XunitException($"no tier '{name}' in stats: {stats.Tiers}");

    public static Task<Stats> WaitUntilAsync(DaemonProcess daemon, Func<Stats, bool> condition, string what, int seconds = 30) =>
        WaitUntilAsync(() => GetAsync(daemon), condition, what, seconds);

    /// <summary>Reads stats from <paramref name="read"/> until they meet <paramref name="condition"/>, for at most <paramref name="seconds"/>.</summary>
    public static async Task<Stats> WaitUntilAsync(Func<Task<Stats>> read, Func<Stats, bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var stats = await read();
            if (condition(stats))
            {
                return stats;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds} s: {what}; tiers: {stats.Tiers}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until every remote tier's write-behind queue is empty.</summary>
    public static Task<Stats> DrainedAsync(DaemonProcess daemon) => DrainedAsync(() => GetAsync(daemon));

    public static Task<Stats> DrainedAsync(Func<Task<Stats>> read) =>
        WaitUntilAsync(read, s => s.Tiers.All(t => t.PendingWrites == 0), "write-behind queues drained");
}
