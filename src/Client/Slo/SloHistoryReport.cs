using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CacheFarm.Client.Slo;

/// <summary><c>cachefarm slo --history</c>: one line per saved run, with each scenario's wall time and the verdict.</summary>
public static class SloHistoryReport
{
    public static string Render(IReadOnlyList<JsonDocument> history)
    {
        if (history.Count == 0)
        {
            return "no cachefarm slo results saved for this workspace yet\n";
        }
        var text = new StringBuilder();
        text.Append("started (UTC)    ").Append(string.Join("", SloScenario.All.Select(s => s.Name.PadLeft(13)))).Append("  result\n");
        foreach (var run in history)
        {
            var root = run.RootElement;
            var walls = root.GetProperty("rows").EnumerateArray()
                .Where(r => r.GetProperty("figure").GetString() == SloMetric.Wall.Key && r.TryGetProperty("median", out _))
                .ToDictionary(r => r.GetProperty("scenario").GetString() ?? "", r => r.GetProperty("median").GetDouble());
            var failed = root.GetProperty("rows").EnumerateArray().Count(r => r.TryGetProperty("passed", out var p) && !p.GetBoolean());
            text.Append(root.GetProperty("started").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(' ');
            foreach (var scenario in SloScenario.All)
            {
                text.Append((walls.TryGetValue(scenario.Name, out var wall) ? SloFormat.Value(SloUnit.Seconds, wall) : "-").PadLeft(13));
            }
            text.Append("  ").Append(failed == 0 ? "pass" : string.Create(CultureInfo.InvariantCulture, $"FAIL ({failed})")).Append('\n');
        }
        return text.ToString();
    }
}
