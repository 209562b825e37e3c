using System.Text;
using System.Text.Json;

namespace CacheFarm.Client.Doctor;

/// <summary>The findings as text (problems first) or JSON.</summary>
public static class DoctorReport
{
    public static string Text(IReadOnlyList<DoctorFinding> findings, DoctorContext context)
    {
        var text = new StringBuilder();
        text.Append("cachefarm doctor: ").Append(context.WorkspaceRoot ?? "no cargo workspace here").Append('\n');
        if (context.LastBuild is { } build)
        {
            text.Append("last build: ").Append(build.Build.Command.Length > 0 ? build.Build.Command : build.Build.BuildId).Append('\n');
        }
        foreach (var finding in findings.OrderByDescending(f => f.Severity))
        {
            text.Append('\n').Append(Label(finding.Severity)).Append(' ').Append(finding.Area).Append(": ").Append(finding.Title).Append('\n');
            foreach (var detail in finding.Details.Where(d => d.Length > 0))
            {
                text.Append("    ").Append(detail).Append('\n');
            }
            if (finding.Fix.Length > 0)
            {
                text.Append("    fix: ").Append(finding.Fix).Append('\n');
            }
        }
        var problems = findings.Count(f => f.Severity == DoctorSeverity.Problem);
        text.Append('\n').Append(problems == 0 ? "no problems found" : $"{problems} problem(s) to fix").Append('\n');
        return text.ToString();
    }

    public static string Json(IReadOnlyList<DoctorFinding> findings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("findings");
            foreach (var finding in findings)
            {
                json.WriteStartObject();
                json.WriteString("area", finding.Area);
                json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
                json.WriteString("title", finding.Title);
                json.WriteStartArray("details");
                foreach (var detail in finding.Details)
                {
                    json.WriteStringValue(detail);
                }
                json.WriteEndArray();
                json.WriteString("fix", finding.Fix);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Label(DoctorSeverity severity) => severity switch
    {
        DoctorSeverity.Problem => "[problem]",
        DoctorSeverity.Advice => "[check]  ",
        _ => "[ok]     ",
    };
}
