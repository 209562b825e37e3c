using System.Net;
using System.Text;

namespace CacheFarm.Client.Reports;

/// <summary>
/// The HTML report: a self-contained page (inline CSS and SVG, no scripts) with the build's figures, the trend of
/// hit rate and link time over recent builds, a cache-aware timeline, and the link, slowest and rebuilt tables.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "cachefarm-report.html";

    /// <summary>The pages' shared style sheet (the SLO page uses it too).</summary>
    public const string Style = """
        body { font-family: sans-serif; margin: 16px 24px; color: #222; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 20px 0 6px; }
        table { border-collapse: collapse; font-size: 13px; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
        th { color: #555; font-weight: normal; } .num { text-align: right; font-variant-numeric: tabular-nums; }
        .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 14px; vertical-align: middle; }
        """;

    public static string Render(BuildSummary summary, IReadOnlyList<BuildSummary> recent)
    {
        var html = new StringBuilder();
        var build = summary.Build;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cachefarm build report</title><style>")
            .Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>cachefarm build report: ").Append(E(build.Command.Length > 0 ? build.Command : build.BuildId)).Append("</h1>\n<table>");
        Row(html, "started", TextReport.When(build.FirstUnixMs) + " (" + summary.Kind + ")");
        Row(html, "crates", $"{summary.Units.Count} compiles, wall {DurationText.Of(summary.WallUs)}");
        Row(html, "cache", $"{summary.Hits} hits, {summary.Misses} misses, {summary.NotCacheable} not cacheable, {summary.CacheErrors} errors: hit rate {DurationText.Percent(summary.HitRate)}");
        Row(html, "time saved", DurationText.Of(summary.SavedUs) + " (recorded compile time of the hits)");
        Row(html, "cache transfer", $"read {DurationText.Of(summary.CacheReadUs)} / {DurationText.Bytes(summary.BytesRead)}, write {DurationText.Of(summary.CacheWriteUs)} / {DurationText.Bytes(summary.BytesWritten)}");
        if (summary.LinkerDecision is { } decision)
        {
            Row(html, "linker", decision.Linker + ": " + decision.Reason);
        }
        Row(html, "link time", DurationText.Of(summary.LinkUs));
        html.Append("</table>\n");
        html.Append("<p class=\"legend\">")
            .Append(Swatch(ReportColors.Hit, "hit")).Append(Swatch(ReportColors.Miss, "miss"))
            .Append(Swatch(ReportColors.NotCacheable, "not cacheable")).Append(Swatch(ReportColors.CacheError, "cache error"))
            .Append(Swatch(ReportColors.Link, "link")).Append("</p>\n");
        html.Append("<h2>Recent builds</h2>\n").Append(TrendChartSvg.Render(recent)).Append('\n');
        html.Append("<h2>Timeline</h2>\n").Append(TimelineSvg.Render(summary)).Append('\n');
        LinkTables(html, summary);
        UnitTable(html, "Slowest crates", summary.Slowest(15));
        if (summary.Rebuilt.Count > 0)
        {
            UnitTable(html, "Rebuilt and why", summary.Rebuilt);
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void LinkTables(StringBuilder html, BuildSummary summary)
    {
        html.Append("<h2>Link time by linker</h2>\n<table><tr><th>linker</th><th class=\"num\">links</th><th class=\"num\">total</th><th class=\"num\">longest</th></tr>");
        foreach (var total in summary.LinksByLinker)
        {
            html.Append($"<tr><td>{E(total.Linker)}</td><td class=\"num\">{total.Links}</td><td class=\"num\">{DurationText.Of(total.TotalUs)}</td><td class=\"num\">{DurationText.Of(total.LongestUs)}</td></tr>");
        }
        html.Append("</table>\n");
        if (summary.ShadowLinks.Count > 0)
        {
            html.Append("<h2>Shadow links (auto measuring other linkers on the same jobs)</h2>\n<table><tr><th>linker</th><th class=\"num\">links</th><th class=\"num\">total</th><th class=\"num\">real linker on the same jobs</th></tr>");
            foreach (var shadow in summary.ShadowLinks)
            {
                html.Append($"<tr><td>{E(shadow.Linker)}</td><td class=\"num\">{shadow.Links}</td><td class=\"num\">{DurationText.Of(shadow.TotalUs)}</td><td class=\"num\">{DurationText.Of(shadow.BaselineUs)}</td></tr>");
            }
            html.Append("</table>\n");
        }
    }

    private static void UnitTable(StringBuilder html, string title, List<UnitRun> units)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>\n<table><tr><th>crate</th><th>outcome</th><th class=\"num\">total</th><th class=\"num\">link</th><th>linker</th><th>why cargo ran it</th></tr>");
        foreach (var unit in units)
        {
            var r = unit.Record;
            html.Append($"<tr><td>{E(unit.Name)}</td><td>{E(unit.Outcome + (r.Reason.Length > 0 && unit.Outcome != "hit" ? " (" + r.Reason + ")" : ""))}</td>")
                .Append($"<td class=\"num\">{DurationText.Of(r.TotalUs)}</td><td class=\"num\">{(r.LinkUs > 0 ? DurationText.Of(r.LinkUs) : "")}</td><td>{E(r.Linker)}</td><td>{E(r.RebuildCause)}</td></tr>");
        }
        html.Append("</table>\n");
    }

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Swatch(string color, string label) => $"<span style=\"background:{color}\"></span>{E(label)}";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
