using System.Globalization;

namespace CacheFarm.Client.Reports;

/// <summary>The options of <c>cachefarm report</c>.</summary>
public sealed record ReportOptions
{
    public const string Usage = "usage: cachefarm report [--format text|json|html] [--builds N] [--html FILE | --no-html] [--all-hosts]";

    /// <summary>Builds shown in the HTML trend chart when --builds does not say.</summary>
    public const int TrendBuilds = 20;

    public string Format { get; init; } = "text";

    /// <summary>Compare this many recent builds instead of detailing the last one.</summary>
    public int? Builds { get; init; }

    public string? HtmlPath { get; init; }

    public bool NoHtml { get; init; }

    public bool AllHosts { get; init; }

    /// <summary>Parsed options, or the reason they could not be parsed.</summary>
    public static (ReportOptions? Options, string? Error) Parse(string[] args)
    {
        var options = new ReportOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--format" when Next() is "text" or "json" or "html":
                    options = options with { Format = args[i] };
                    break;
                case "--builds" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    options = options with { Builds = n };
                    break;
                case "--html" when Next() is { } path:
                    options = options with { HtmlPath = path };
                    break;
                case "--no-html":
                    options = options with { NoHtml = true };
                    break;
                case "--all-hosts":
                    options = options with { AllHosts = true };
                    break;
                default:
                    return (null, $"cannot use '{args[i]}' here\n{Usage}");
            }
        }
        return (options, null);
    }
}
