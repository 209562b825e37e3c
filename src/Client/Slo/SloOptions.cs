using System.Globalization;

namespace CacheFarm.Client.Slo;

/// <summary>The options of <c>cachefarm slo</c>; those given override the workspace's table.</summary>
public sealed record SloOptions
{
    public const string Usage =
        "usage: cachefarm slo [-n N] [--scenarios uncached,cached,incremental,release] [--touch FILE] [--config FILE]\n" +
        "                     [--json] [--html FILE] [--save-baseline] [--history] [-v] [-- CARGO-BUILD-ARGS…]";

    public int? Repetitions { get; init; }

    public IReadOnlyList<SloScenario>? Scenarios { get; init; }

    public string? Touch { get; init; }

    public string? ConfigFile { get; init; }

    public bool Json { get; init; }

    public string? HtmlPath { get; init; }

    public bool SaveBaseline { get; init; }

    public bool History { get; init; }

    public bool Verbose { get; init; }

    public IReadOnlyList<string> CargoArgs { get; init; } = [];

    /// <summary>Parsed options, or the reason they could not be parsed.</summary>
    public static (SloOptions? Options, string? Error) Parse(string[] args)
    {
        var options = new SloOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "-n" or "--repetitions" when int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100:
                    options = options with { Repetitions = n };
                    break;
                case "--scenarios" when Next() is { } list:
                    var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (names.Length == 0 || names.Any(name => SloScenario.Named(name) is null))
                    {
                        return (null, $"--scenarios: '{list}' is not a list of uncached, cached, incremental, release\n{Usage}");
                    }
                    options = options with { Scenarios = [.. SloScenario.All.Where(s => names.Contains(s.Name))] };
                    break;
                case "--touch" when Next() is { } file:
                    options = options with { Touch = file };
                    break;
                case "--config" when Next() is { } file:
                    options = options with { ConfigFile = file };
                    break;
                case "--json":
                    options = options with { Json = true };
                    break;
                case "--html" when Next() is { } path:
                    options = options with { HtmlPath = path };
                    break;
                case "--save-baseline":
                    options = options with { SaveBaseline = true };
                    break;
                case "--history":
                    options = options with { History = true };
                    break;
                case "-v" or "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "--":
                    return (options with { CargoArgs = args[(i + 1)..] }, null);
                default:
                    return (null, $"cannot use '{args[i]}' here\n{Usage}");
            }
        }
        return (options, null);
    }
}
