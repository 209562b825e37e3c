using System.Net;
using System.Text;
using CacheFarm.Client.Reports;

namespace CacheFarm.Client.Slo;

/// <summary>The SLO result as a self-contained page in the build report's style: the table, pass and fail in colour.</summary>
public static class SloHtmlReport
{
    public const string FileName = "cachefarm-slo.html";

    // Fixed colours, like the build report's, so a rendered page can be checked pixel by pixel.
    public const string PassColor = "#2ca02c";
    public const string FailColor = "#d62728";

    public static string Render(SloResult result)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cachefarm slo</title><style>")
            .Append(HtmlReport.Style)
            .Append(".pass { background: ").Append(PassColor).Append("; color: #fff; padding: 0 6px; } .fail { background: ").Append(FailColor).Append("; color: #fff; padding: 0 6px; }")
            .Append("</style></head><body>\n");
        html.Append("<h1>cachefarm slo: ").Append(E(result.Workspace)).Append("</h1>\n<p>")
            .Append(E($"{result.Started:yyyy-MM-dd HH:mm} UTC, {result.Repetitions} repetition(s); values are medians{(result.Repetitions > 1 ? ", range in brackets" : "")}."))
            .Append("</p>\n<table><tr><th>scenario</th><th>figure</th><th class=\"num\">value</th><th>target</th><th>result</th><th></th></tr>");
        foreach (var row in result.Rows)
        {
            var verdict = row.Passed switch
            {
                true => "<span class=\"pass\">pass</span>",
                false => "<span class=\"fail\">FAIL</span>",
                null => "",
            };
            html.Append($"<tr><td>{E(row.Scenario.Name)}</td><td>{E(row.Metric.Title)}</td><td class=\"num\">{E(row.Value)}</td><td>{E(row.Target?.Text ?? "")}</td><td>{verdict}</td><td>{E(row.Note ?? "")}</td></tr>");
        }
        html.Append("</table>\n");
        foreach (var note in result.Notes)
        {
            html.Append("<p>").Append(E(note)).Append("</p>\n");
        }
        var failed = result.Failed.ToList();
        html.Append("<h2>").Append(E(failed.Count == 0 ? "All targets met" : $"{failed.Count} target(s) missed")).Append("</h2>\n</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
