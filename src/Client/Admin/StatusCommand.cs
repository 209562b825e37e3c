using System.Globalization;
using System.Text;
using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Admin;

/// <summary><c>cachefarm status</c>: the daemon, its tiers and its recent hit and request rates, at a glance.</summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(CacheClient client, CancellationToken cancellationToken)
    {
        var stats = await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        Console.Write(Render(stats, client.Endpoint.ToString()));
        return 0;
    }

    public static string Render(Stats stats, string location)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Invariant($"cachefarmd {stats.Version}  up {Uptime(stats.UptimeSeconds)}  pid {stats.Pid}  at {location}"));
        sb.AppendLine().AppendLine("tiers");
        foreach (var tier in stats.Tiers)
        {
            var size = tier.CapacityBytes > 0
                ? Invariant($"{StatsFormatter.Size(tier.SizeBytes)} of {StatsFormatter.Size(tier.CapacityBytes)} ({100.0 * tier.SizeBytes / tier.CapacityBytes:0}%)")
                : tier.SizeBytes > 0 ? StatsFormatter.Size(tier.SizeBytes) : "size unknown";
            sb.AppendLine(Invariant($"  {tier.Name,-6} {tier.Health,-9} {tier.Mode,-11} {size,-30} hits {tier.BlobHits + tier.EntryHits}  misses {tier.BlobMisses + tier.EntryMisses}  errors {tier.Errors}"));
        }
        // Builds hand their compiles to a local daemon, which stores them after the build: work still to do on this host.
        sb.AppendLine(Invariant($"  queued {stats.Requests?.DeferredStoresQueued ?? 0} handed-over compile(s) not stored yet"));
        var recent = stats.Recent ?? new RecentActivity { WindowSeconds = 1, Requests = new RequestStats() };
        var window = Math.Max(1, recent.WindowSeconds);
        var r = recent.Requests ?? new RequestStats();
        sb.AppendLine().AppendLine(Invariant($"last {window} s"));
        sb.AppendLine(Invariant($"  requests     {r.Rpcs / (double)window,8:0.0}/s  ({r.Rpcs})"));
        sb.AppendLine($"  entry hits   {Rate(r.EntryHits, r.EntryGets)}");
        sb.AppendLine($"  blob hits    {Rate(r.BlobReadHits, r.BlobReads)}");
        sb.AppendLine($"  compile hits {Rate(recent.CompileHits, recent.CompileHits + recent.CompileMisses)}");
        sb.AppendLine(Invariant($"  traffic      read {StatsFormatter.Size(r.BytesRead / window)}/s, written {StatsFormatter.Size(r.BytesWritten / window)}/s"));
        var all = stats.Requests ?? new RequestStats();
        var compiles = stats.Compiles ?? new CompileStats();
        sb.AppendLine().AppendLine(Invariant($"since {DateTimeOffset.FromUnixTimeMilliseconds(stats.SinceUnixMs):yyyy-MM-dd HH:mm:ss} UTC"));
        sb.AppendLine($"  entry hits   {Rate(all.EntryHits, all.EntryGets)}");
        sb.AppendLine($"  compile hits {Rate(compiles.CacheHits, compiles.CacheHits + compiles.CacheMisses)}");
        sb.AppendLine(Invariant($"  time saved   {compiles.TotalSavedUs / 1e6:0.0} s"));
        if (compiles.UntrustedEntries > 0)
        {
            // Someone without the entry key wrote to the cache: worth a look even though nothing was used.
            sb.AppendLine(Invariant($"  rejected     {compiles.UntrustedEntries} entries with a bad signature"));
        }
        return sb.ToString();
    }

    private static string Rate(long hits, long total) =>
        total == 0 ? "       -   (none)" : Invariant($"{100.0 * hits / total,6:0.0} %  ({hits} of {total})");

    private static string Uptime(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? Invariant($"{(int)span.TotalDays}d {span.Hours}h") : span.TotalHours >= 1 ? Invariant($"{(int)span.TotalHours}h {span.Minutes}m") : Invariant($"{span.Minutes}m {span.Seconds}s");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
