using System.Text.Json;

namespace CacheFarm.Client.Cargo;

/// <summary>
/// Time in build scripts, from the report <c>cargo build --timings</c> writes (stable cargo): its page embeds the
/// units as JSON (<c>const UNIT_DATA = [...];</c>), and a build script's run is the unit whose mode is run-custom-build.
/// </summary>
public static class CargoTimings
{
    private const string Start = "const UNIT_DATA = ";

    /// <summary>The path cargo writes the last build's timings to.</summary>
    public static string ReportPath(string targetDirectory) => Path.Combine(targetDirectory, "cargo-timings", "cargo-timing.html");

    /// <summary>Seconds spent running build scripts, or null when the report is missing or its data cannot be read.</summary>
    public static double? BuildScriptSeconds(string reportPath)
    {
        string page;
        try
        {
            page = File.ReadAllText(reportPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return BuildScriptSecondsIn(page);
    }

    public static double? BuildScriptSecondsIn(string page)
    {
        var at = page.IndexOf(Start, StringComparison.Ordinal);
        var end = at < 0 ? -1 : page.IndexOf("];", at, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        try
        {
            using var units = JsonDocument.Parse(page.AsMemory()[(at + Start.Length)..(end + 1)]);
            return units.RootElement.EnumerateArray()
                .Where(u => u.TryGetProperty("mode", out var mode) && mode.GetString() == "run-custom-build")
                .Sum(u => u.GetProperty("duration").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
