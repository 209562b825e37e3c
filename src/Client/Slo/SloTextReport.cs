using System.Globalization;
using System.Text;

namespace CacheFarm.Client.Slo;

/// <summary>The SLO result as a table for a terminal or a CI log.</summary>
public static class SloTextReport
{
    public static string Render(SloResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"cachefarm slo: {result.Workspace}, {result.Repetitions} repetition{(result.Repetitions == 1 ? "" : "s")}")
            .Append(result.Repetitions > 1 ? " (median, range in brackets)\n" : "\n");
        var rows = result.Rows.Select(r => new[] { r.Scenario.Name, r.Metric.Title, r.Value, r.Target?.Text ?? "", r.Result, r.Note ?? "" }).ToList();
        string[] header = ["scenario", "figure", "value", "target", "result", ""];
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }
        foreach (var note in result.Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }
        var failed = result.Failed.ToList();
        var checkedCount = result.Rows.Count(r => r.Passed is not null);
        text.Append(checkedCount == 0 ? "no targets set: add them under [workspace.metadata.cachefarm.slo] in Cargo.toml (docs/slo-and-doctor.md)\n"
            : failed.Count == 0 ? $"all {checkedCount} targets met\n"
            : $"{failed.Count} of {checkedCount} targets missed: {string.Join(", ", failed.Select(r => r.Target!.Name))}\n");
        return text.ToString();
    }
}
