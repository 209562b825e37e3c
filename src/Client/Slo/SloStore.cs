using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CacheFarm.Client.Slo;

/// <summary>
/// What <c>cachefarm slo</c> keeps per workspace in the data directory (slo/&lt;workspace hash&gt;/): the history of
/// results, a JSON line each, and the baseline of binary sizes that size-change targets compare with.
/// </summary>
public sealed class SloStore(string dataDirectory, string workspaceRoot)
{
    private readonly string _directory = Path.Combine(dataDirectory, "slo",
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspaceRoot)))[..16]);

    private string HistoryPath => Path.Combine(_directory, "history.jsonl");

    private string BaselinePath => Path.Combine(_directory, "baseline.json");

    public void Append(SloResult result)
    {
        Directory.CreateDirectory(_directory);
        File.AppendAllText(HistoryPath, SloJsonReport.Render(result, indented: false) + "\n");
    }

    /// <summary>The saved results, oldest first; lines that cannot be read are skipped.</summary>
    public List<JsonDocument> History()
    {
        if (!File.Exists(HistoryPath))
        {
            return [];
        }
        var results = new List<JsonDocument>();
        foreach (var line in File.ReadLines(HistoryPath))
        {
            try
            {
                results.Add(JsonDocument.Parse(line));
            }
            catch (JsonException)
            {
                // A line cut short by a full disk: the others still tell the trend.
            }
        }
        return results;
    }

    /// <summary>Saves the total binary size of each scenario (the median over the repetitions).</summary>
    public void SaveBaseline(SloResult result)
    {
        Directory.CreateDirectory(_directory);
        using var stream = File.Create(BaselinePath);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var row in result.Rows.Where(r => r.Metric == SloMetric.BinaryBytes && r.Figure is not null))
        {
            json.WriteNumber(row.Scenario.Name, (long)row.Figure!.Median);
        }
        json.WriteEndObject();
    }

    /// <summary>The saved total binary size by scenario; empty when none was saved.</summary>
    /// <exception cref="SloSpecException">The baseline file is damaged.</exception>
    public Dictionary<string, long> Baseline()
    {
        if (!File.Exists(BaselinePath))
        {
            return [];
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(BaselinePath));
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SloSpecException(string.Create(CultureInfo.InvariantCulture, $"{BaselinePath} is damaged ({e.Message}): save a new one with --save-baseline"));
        }
    }
}
