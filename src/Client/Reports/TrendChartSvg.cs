using System.Globalization;
using System.Net;
using System.Text;

namespace CacheFarm.Client.Reports;

/// <summary>
/// An inline SVG comparing recent builds: per build a bar of its compile outcomes stacked to 100% (the green share
/// is the hit rate) and beside it a bar of its total link time, scaled to the longest.
/// </summary>
public static class TrendChartSvg
{
    private const int Width = 1100;
    private const int PlotHeight = 200;
    private const int Left = 60;
    private const int Right = 70;
    private const int Top = 30;
    private const int MaxBand = 90;

    public static string Render(IReadOnlyList<BuildSummary> builds)
    {
        var height = Top + PlotHeight + 50;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg id=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" shape-rendering=\"crispEdges\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">Hit rate (outcomes stacked to 100%) and link time, last {builds.Count} builds</text>"));
        var bottom = Top + PlotHeight;
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{bottom}\" x2=\"{Width - Right}\" y2=\"{bottom}\" stroke=\"#444\"/>"));
        svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{Top + 4}\" text-anchor=\"end\">100%</text><text x=\"{Left - 8}\" y=\"{bottom}\" text-anchor=\"end\">0%</text>"));
        var maxLink = Math.Max(1, builds.Count == 0 ? 1 : builds.Max(b => b.LinkUs));
        svg.Append(Inv($"<text x=\"{Width - Right + 8}\" y=\"{Top + 4}\">{DurationText.Of(maxLink)}</text><text x=\"{Width - Right + 8}\" y=\"{Top + 18}\">link</text>"));
        var band = Math.Min(MaxBand, (Width - Left - Right) / (double)Math.Max(1, builds.Count));
        for (var i = 0; i < builds.Count; i++)
        {
            var b = builds[i];
            var x = Left + i * band + band * 0.08;
            var barWidth = Math.Max(6, band * 0.46);
            var total = Math.Max(1, b.Units.Count);
            var y = (double)bottom;
            foreach (var (count, color, label) in new[] { (b.Hits, ReportColors.Hit, "hits"), (b.Misses, ReportColors.Miss, "misses"), (b.CacheErrors, ReportColors.CacheError, "cache errors"), (b.NotCacheable, ReportColors.NotCacheable, "not cacheable") })
            {
                var h = Math.Round(PlotHeight * (double)count / total);
                if (h <= 0)
                {
                    continue;
                }
                y -= h;
                svg.Append(Inv($"<rect class=\"outcome\" x=\"{x:0}\" y=\"{y:0}\" width=\"{barWidth:0}\" height=\"{h:0}\" fill=\"{color}\"><title>build {i + 1}: {count} {label}</title></rect>"));
            }
            var linkHeight = Math.Max(b.LinkUs > 0 ? 2 : 0, Math.Round(PlotHeight * (double)b.LinkUs / maxLink));
            var linkX = x + barWidth + Math.Max(2, band * 0.06);
            var linkWidth = Math.Max(4, band * 0.26);
            svg.Append(Inv($"<rect class=\"link\" x=\"{linkX:0}\" y=\"{bottom - linkHeight:0}\" width=\"{linkWidth:0}\" height=\"{linkHeight:0}\" fill=\"{ReportColors.Link}\"><title>build {i + 1}: link {DurationText.Of(b.LinkUs)}</title></rect>"));
            svg.Append(Inv($"<text x=\"{x:0}\" y=\"{bottom + 16}\">{i + 1} {WebUtility.HtmlEncode(Short(b.Kind))}</text>"));
            svg.Append(Inv($"<text x=\"{x:0}\" y=\"{bottom + 30}\" fill=\"#555\">{DurationText.Percent(b.HitRate)}</text>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Short(string kind) => kind.StartsWith("incremental", StringComparison.Ordinal) ? "incr" : kind.Contains("warm", StringComparison.Ordinal) ? "warm" : "cold";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
