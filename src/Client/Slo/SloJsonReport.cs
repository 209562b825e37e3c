using System.Text;
using System.Text.Json;

namespace CacheFarm.Client.Slo;

/// <summary>The SLO result as JSON: for CI tools, and the form the history keeps.</summary>
public static class SloJsonReport
{
    public static string Render(SloResult result, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteString("workspace", result.Workspace);
            json.WriteString("started", result.Started);
            json.WriteNumber("repetitions", result.Repetitions);
            json.WriteBoolean("passed", result.Passed);
            json.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                json.WriteString("scenario", row.Scenario.Name);
                json.WriteString("figure", row.Metric.Key);
                json.WriteString("title", row.Metric.Title);
                if (row.Figure is { } figure)
                {
                    json.WriteNumber("median", figure.Median);
                    json.WriteNumber("min", figure.Min);
                    json.WriteNumber("max", figure.Max);
                    json.WriteNumber("count", figure.Count);
                }
                if (row.Target is { } target)
                {
                    json.WriteNumber(target.Metric.AtLeast ? "at_least" : "at_most", target.Limit);
                }
                if (row.Passed is { } passed)
                {
                    json.WriteBoolean("passed", passed);
                }
                if (row.Note is { } note)
                {
                    json.WriteString("note", note);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in result.Notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
