using System.Globalization;
using System.Text.RegularExpressions;

namespace CacheFarm.TestSupport;

/// <summary>A parsed Prometheus text-format scrape: series with their labels and values.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series;

    private PrometheusScrape(List<(string, Dictionary<string, string>, double)> series) => _series = series;

    public IEnumerable<string> MetricNames => _series.Select(s => s.Name).Distinct();

    public static async Task<PrometheusScrape> FetchAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics").ConfigureAwait(false));
    }

    public static PrometheusScrape Parse(string text)
    {
        var series = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            var match = SeriesLine().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            series.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return new PrometheusScrape(series);
    }

    /// <summary>Sum of the series named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matching = _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        if (matching.Count == 0)
        {
            throw new KeyNotFoundException($"no series {name}{{{string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} in the scrape");
        }
        return matching.Sum(s => s.Value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[-+0-9.eE]+|NaN|\+Inf|-Inf)(\s+\d+)?$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
