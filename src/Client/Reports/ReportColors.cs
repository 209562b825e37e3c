using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Reports;

/// <summary>The HTML report's palette; fixed values so a rendered page can be checked pixel by pixel.</summary>
public static class ReportColors
{
    public const string Hit = "#2ca02c";
    public const string Miss = "#d62728";
    public const string NotCacheable = "#8c8c8c";
    public const string CacheError = "#ff7f0e";
    public const string Link = "#9467bd";

    public static string For(CompileOutcome outcome) => outcome switch
    {
        CompileOutcome.Hit => Hit,
        CompileOutcome.Miss => Miss,
        CompileOutcome.CacheError => CacheError,
        _ => NotCacheable,
    };
}
