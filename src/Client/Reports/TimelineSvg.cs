using System.Globalization;
using System.Net;
using System.Text;

namespace CacheFarm.Client.Reports;

/// <summary>
/// A cargo --timings style timeline of one build as inline SVG: a row per crate compile from its start to its end,
/// coloured by cache outcome, with the link (measured by the shim) as the bar's last, purple part.
/// </summary>
public static class TimelineSvg
{
    private const int Width = 1100;
    private const int LabelWidth = 290;
    private const int RowHeight = 16;
    private const int BarHeight = 12;
    private const int Top = 24;

    public static string Render(BuildSummary summary)
    {
        var units = summary.Units;
        var plot = Width - LabelWidth - 20;
        var wall = Math.Max(1, summary.WallUs);
        var height = Top + units.Count * RowHeight + 10;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" shape-rendering=\"crispEdges\" font-family=\"sans-serif\" font-size=\"11\">"));
        var step = TickStep(wall);
        for (var t = 0L; t <= wall; t += step)
        {
            var x = LabelWidth + plot * (double)t / wall;
            svg.Append(Inv($"<line x1=\"{x:0}\" y1=\"{Top - 6}\" x2=\"{x:0}\" y2=\"{height}\" stroke=\"#e4e4e4\"/><text x=\"{x:0}\" y=\"{Top - 10}\" text-anchor=\"middle\" fill=\"#555\">{DurationText.Of(t)}</text>"));
        }
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var r = unit.Record;
            var y = Top + i * RowHeight;
            var x = LabelWidth + plot * (double)unit.StartUs / wall;
            var w = Math.Max(2, plot * (double)r.TotalUs / wall);
            var tip = WebUtility.HtmlEncode($"{unit.Name}: {unit.Outcome}{(r.Reason.Length > 0 ? " (" + r.Reason + ")" : "")}, {DurationText.Of(r.TotalUs)}"
                + (unit.RanRustc ? $", compile {DurationText.Of(unit.CompileOnlyUs)}" : $", cache read {DurationText.Of(r.CacheReadUs)}")
                + (r.LinkUs > 0 ? $", link {DurationText.Of(r.LinkUs)} by {r.Linker}" : "") + (r.RebuildCause.Length > 0 ? "; " + r.RebuildCause : ""));
            svg.Append(Inv($"<text x=\"{LabelWidth - 6}\" y=\"{y + BarHeight - 2}\" text-anchor=\"end\">{WebUtility.HtmlEncode(unit.Name)}</text>"));
            svg.Append(Inv($"<rect class=\"{unit.Outcome}\" x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{BarHeight}\" fill=\"{ReportColors.For(r.Outcome)}\"><title>{tip}</title></rect>"));
            if (r.LinkUs > 0)
            {
                var linkWidth = Math.Min(w, Math.Max(2, plot * (double)r.LinkUs / wall));
                svg.Append(Inv($"<rect class=\"link\" x=\"{x + w - linkWidth:0.#}\" y=\"{y}\" width=\"{linkWidth:0.#}\" height=\"{BarHeight}\" fill=\"{ReportColors.Link}\"><title>{tip}</title></rect>"));
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    // About eight gridlines, at 1, 2 or 5 times a power of ten.
    private static long TickStep(long wallUs)
    {
        var raw = wallUs / 8.0;
        var power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1, raw))));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        return Math.Max(1, (long)step);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
