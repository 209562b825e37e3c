using System.Globalization;
using System.Text;

namespace CacheFarm.Client.Reports;

/// <summary>The terminal form of <c>cachefarm report</c>: one build in detail, or several side by side.</summary>
public static class TextReport
{
    private const int SlowestShown = 10;
    private const int RebuiltShown = 30;

    /// <summary>One build in detail; <paramref name="prefetch"/> adds the daemon's working-set prefetch counters.</summary>
    public static string Build(BuildSummary summary, Protos.V1.PrefetchStats? prefetch = null)
    {
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append("  ").Append(label.PadRight(15)).Append(value).Append('\n');
        var build = summary.Build;
        text.Append($"build           {Command(build.Command)} at {When(build.FirstUnixMs)}: {summary.Kind}\n");
        Line("id", build.BuildId);
        Line("crates", $"{summary.Units.Count} compiles (+{summary.Probes} probes), wall {DurationText.Of(summary.WallUs)}");
        Line("cache", $"{summary.Hits} hits, {summary.Misses} misses, {summary.NotCacheable} not cacheable, {summary.CacheErrors} errors: hit rate {DurationText.Percent(summary.HitRate)}");
        if (summary.NotCacheableReasons.Count > 0)
        {
            Line("not cacheable", string.Join(", ", summary.NotCacheableReasons.Select(r => $"{r.Key} {r.Value}")));
        }
        Line("time saved", $"{DurationText.Of(summary.SavedUs)} (recorded compile time of the hits)");
        Line("cache transfer", $"read {DurationText.Of(summary.CacheReadUs)} / {DurationText.Bytes(summary.BytesRead)}, write {DurationText.Of(summary.CacheWriteUs)} / {DurationText.Bytes(summary.BytesWritten)}");
        if (prefetch is not null)
        {
            Line("prefetch", $"{prefetch.Entries} entries ({DurationText.Bytes(prefetch.Bytes)}) fetched ahead, {prefetch.Used} used, {prefetch.Wasted} wasted (daemon since start)");
        }
        if (summary.LinkerDecision is { } decision)
        {
            Line("linker", $"{decision.Linker}: {decision.Reason}");
        }
        foreach (var total in summary.LinksByLinker)
        {
            Line("link time", $"{total.Linker}: {total.Links} links, {DurationText.Of(total.TotalUs)} (longest {DurationText.Of(total.LongestUs)})");
        }
        foreach (var shadow in summary.ShadowLinks)
        {
            var ratio = shadow.BaselineUs > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({(double)shadow.TotalUs / shadow.BaselineUs:0.00}x)") : "";
            Line("shadow links", $"{shadow.Linker}: {shadow.Links} links, {DurationText.Of(shadow.TotalUs)} against {DurationText.Of(shadow.BaselineUs)} by the real linker{ratio}");
        }
        text.Append("slowest crates\n");
        foreach (var unit in summary.Slowest(SlowestShown))
        {
            text.Append("  ").Append(UnitLine(unit)).Append('\n');
        }
        var rebuilt = summary.Rebuilt;
        if (rebuilt.Count > 0)
        {
            text.Append("rebuilt and why\n");
            foreach (var unit in rebuilt.Take(RebuiltShown))
            {
                text.Append($"  {unit.Name,-40} {Outcome(unit),-28} {unit.Record.RebuildCause}\n");
            }
            if (rebuilt.Count > RebuiltShown)
            {
                text.Append($"  … and {rebuilt.Count - RebuiltShown} more\n");
            }
        }
        return text.ToString();
    }

    public static string Comparison(IReadOnlyList<BuildSummary> builds)
    {
        var text = new StringBuilder();
        text.Append($"{"#",3}  {"started",-19}  {"kind",-18} {"crates",6} {"hits",5} {"miss",5} {"n/c",5} {"hit rate",8} {"wall",9} {"link",9} {"saved",9}  command\n");
        for (var i = 0; i < builds.Count; i++)
        {
            var b = builds[i];
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1,3}  {When(b.Build.FirstUnixMs),-19}  {b.Kind,-18} {b.Units.Count,6} {b.Hits,5} {b.Misses,5} {b.NotCacheable,5} {DurationText.Percent(b.HitRate),8} {DurationText.Of(b.WallUs),9} {DurationText.Of(b.LinkUs),9} {DurationText.Of(b.SavedUs),9}  {Command(b.Build.Command)}\n"));
        }
        return text.ToString();
    }

    private static string UnitLine(UnitRun unit)
    {
        var link = unit.Record.LinkUs > 0 ? $", link {DurationText.Of(unit.Record.LinkUs)} by {unit.Record.Linker}" : "";
        return $"{unit.Name,-40} {Outcome(unit),-28} {DurationText.Of(unit.Record.TotalUs),9}{link}";
    }

    private static string Outcome(UnitRun unit) => unit.Record.Reason.Length > 0 && unit.Outcome != "hit" ? $"{unit.Outcome} ({unit.Record.Reason})" : unit.Outcome;

    public static string When(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Command(string command) => command.Length > 0 ? command : "(command unknown)";
}
