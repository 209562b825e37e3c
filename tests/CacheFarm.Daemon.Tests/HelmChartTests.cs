using System.Text.Json;
using System.Text.RegularExpressions;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using YamlDotNet.RepresentationModel;

namespace CacheFarm.Daemon.Tests;

/// <summary>Checks the Helm chart without helm (not installable here): its YAML, its values and its dashboard.</summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = Path.Combine(RepoPaths.Root, "deploy", "helm", "cachefarm");

    [Fact]
    public void ChartAndValuesParse()
    {
        Assert.Equal("cachefarm", Scalar(LoadYaml(File.ReadAllText(Path.Combine(Chart, "Chart.yaml")))[0], "name"));
        Assert.NotNull(LoadYaml(File.ReadAllText(Path.Combine(Chart, "values.yaml")))[0]);
    }

    [Fact]
    public void EveryTemplateIsYamlOnceTheTemplateDirectivesAreTakenOut()
    {
        foreach (var template in Templates())
        {
            var stripped = StripDirectives(File.ReadAllText(template));
            List<YamlNode> documents;
            try
            {
                documents = LoadYaml(stripped);
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new Xunit.Sdk.XunitException($"{template} is not YAML: {e.Message}\n{stripped}");
            }
            Assert.True(documents.Count > 0, $"{template} rendered to no YAML document");
            foreach (var document in documents)
            {
                Assert.False(string.IsNullOrEmpty(Scalar(document, "kind")), $"{template}: a document has no kind");
            }
        }
    }

    [Fact]
    public void EveryValueATemplateUsesIsDefinedInValuesYaml()
    {
        var values = (YamlMappingNode)LoadYaml(File.ReadAllText(Path.Combine(Chart, "values.yaml")))[0];
        var missing = new List<string>();
        foreach (var template in Templates())
        {
            foreach (Match use in ValuesReference().Matches(File.ReadAllText(template)))
            {
                var path = use.Groups[1].Value.Split('.');
                if (!Exists(values, path))
                {
                    missing.Add($"{Path.GetFileName(template)}: .Values.{use.Groups[1].Value}");
                }
            }
        }
        Assert.True(missing.Count == 0, "undefined values: " + string.Join(", ", missing.Distinct()));
    }

    [Fact]
    public async Task EveryDashboardQueryNamesOnlyMetricsALiveScrapeExposes()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Chart, "dashboards", "cachefarm.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(queries);

        using var dir = new TempDirectory("cfdash");
        await using var daemon = await DaemonProcess.StartWithMetricsAsync(dir.Path);
        var blob = BlobData.Random(1000, seed: 3);
        await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
        await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(blob).ToProto());
        using (var client = daemon.Client())
        {
            await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Miss, CompileUs = 1000 }, default);
        }
        var exposed = (await PrometheusScrape.FetchAsync(daemon.MetricsPort!.Value)).MetricNames.ToHashSet();
        var unknown = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Where(name => !exposed.Contains(name)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "dashboard uses metrics the daemon does not expose: " + string.Join(", ", unknown));
    }

    private static IEnumerable<string> Templates() =>
        Directory.EnumerateFiles(Path.Combine(Chart, "templates"), "*.yaml");

    /// <summary>
    /// Drops control lines, turns whole-line includes into an entry of the surrounding mapping or
    /// sequence, and replaces inline expressions with a scalar.
    /// </summary>
    private static string StripDirectives(string template)
    {
        var lines = new List<string>();
        foreach (var line in template.Split('\n'))
        {
            var trimmed = line.Trim();
            if (ControlLine().IsMatch(trimmed))
            {
                continue;
            }
            if (trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))
            {
                var indent = line[..(line.Length - line.TrimStart().Length)];
                var sibling = lines.LastOrDefault(l => l.Length > indent.Length && l.StartsWith(indent, StringComparison.Ordinal) && l[indent.Length] != ' ');
                var inSequence = sibling?.TrimStart().StartsWith("- ", StringComparison.Ordinal) == true;
                lines.Add(indent + (inSequence ? "- " : "") + $"rendered{lines.Count}: value");
                continue;
            }
            lines.Add(Expression().Replace(line, "x"));
        }
        return string.Join('\n', lines);
    }

    private static List<YamlNode> LoadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static bool Exists(YamlMappingNode values, string[] path)
    {
        YamlNode node = values;
        foreach (var part in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(part), out var child))
            {
                return false;
            }
            node = child;
        }
        return true;
    }

    [GeneratedRegex(@"^\{\{-?\s*(if|else|end|with|range|define)\b.*\}\}$")]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\bcachefarm_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
