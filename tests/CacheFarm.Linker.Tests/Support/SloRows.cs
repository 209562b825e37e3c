using System.Text.Json;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>The rows of a <c>cachefarm slo --json</c> result, as the slo tests read them.</summary>
public static class SloRows
{
    /// <summary>The figures every scenario measures (ratios and hit rates apply to some scenarios only).</summary>
    public static readonly string[] MeasuredFigures = ["wall_seconds", "peak_memory_bytes", "binary_bytes", "link_seconds", "build_script_seconds"];

    public static JsonElement Row(JsonDocument result, string scenario, string figure) =>
        result.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("scenario").GetString() == scenario && r.GetProperty("figure").GetString() == figure);

    public static double Median(JsonDocument result, string scenario, string figure) => Row(result, scenario, figure).GetProperty("median").GetDouble();
}
