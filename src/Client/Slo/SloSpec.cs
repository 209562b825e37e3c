using System.Globalization;
using CacheFarm.Client.Cargo;
using Tomlyn.Model;

namespace CacheFarm.Client.Slo;

/// <summary>
/// What <c>cachefarm slo</c> runs and checks: the <c>[workspace.metadata.cachefarm.slo]</c> (or
/// <c>[package.metadata.cachefarm.slo]</c>) table of the workspace's Cargo.toml, or a file of the same keys.
/// Top-level keys: <c>scenarios</c>, <c>touch</c>, <c>repetitions</c>; one sub-table per scenario holds its targets.
/// </summary>
public sealed record SloSpec
{
    public IReadOnlyList<SloScenario> Scenarios { get; init; } = SloScenario.All;

    /// <summary>The file the incremental scenario touches, relative to the workspace root; null for the default.</summary>
    public string? Touch { get; init; }

    public int Repetitions { get; init; } = 1;

    public IReadOnlyList<SloTarget> Targets { get; init; } = [];

    /// <summary>The spec in <paramref name="cargoToml"/>'s metadata, or the defaults when it has none.</summary>
    /// <exception cref="SloSpecException">The file cannot be read or the table is not valid.</exception>
    public static SloSpec FromCargoToml(string cargoToml)
    {
        var root = TomlFile.Read(cargoToml, message => new SloSpecException(message));
        foreach (var section in new[] { "workspace", "package" })
        {
            if (TomlFile.Table(root, section, "metadata", "cachefarm", "slo") is { } slo)
            {
                return From(slo, $"{cargoToml}: [{section}.metadata.cachefarm.slo]");
            }
        }
        return new SloSpec();
    }

    /// <summary>The spec in a file whose top level is the table's keys.</summary>
    /// <exception cref="SloSpecException">The file cannot be read or is not valid.</exception>
    public static SloSpec FromFile(string path) => From(TomlFile.Read(path, message => new SloSpecException(message)), path);

    /// <summary>The spec in <paramref name="table"/>; <paramref name="where"/> names it in errors.</summary>
    public static SloSpec From(TomlTable table, string where)
    {
        var spec = new SloSpec();
        var targets = new List<SloTarget>();
        foreach (var (key, value) in table)
        {
            switch (key)
            {
                case "scenarios":
                    spec = spec with { Scenarios = ScenarioList(value, where) };
                    break;
                case "touch":
                    spec = spec with { Touch = value as string ?? throw Invalid(where, "touch", "is not a string") };
                    break;
                case "repetitions":
                    spec = spec with { Repetitions = value is long n && n is > 0 and <= 100 ? (int)n : throw Invalid(where, "repetitions", "is not a whole number from 1 to 100") };
                    break;
                default:
                    var scenario = SloScenario.Named(key) ?? throw Invalid(where, key, "is not a setting or a scenario (uncached, cached, incremental, release)");
                    targets.AddRange(ScenarioTargets(scenario, value as TomlTable ?? throw Invalid(where, key, "is not a table of targets"), where));
                    break;
            }
        }
        return spec with { Targets = targets };
    }

    private static IEnumerable<SloTarget> ScenarioTargets(SloScenario scenario, TomlTable table, string where)
    {
        foreach (var (key, value) in table)
        {
            var name = scenario.Name + "." + key;
            var metric = SloMetric.Keyed(key) ?? throw Invalid(where, name, "is not a figure: " + string.Join(", ", SloMetric.All.Select(m => m.Key)));
            var limit = value switch
            {
                long n => n,
                double d when double.IsFinite(d) => d,
                _ => throw Invalid(where, name, "is not a number"),
            };
            if (metric == SloMetric.WallRatio && scenario == SloScenario.Uncached)
            {
                throw Invalid(where, name, "compares a build with itself");
            }
            if (metric.Unit is SloUnit.Fraction && limit is < 0 or > 1)
            {
                throw Invalid(where, name, "is a fraction from 0 to 1");
            }
            if (metric.Unit is SloUnit.Seconds or SloUnit.Bytes or SloUnit.Ratio && limit < 0)
            {
                throw Invalid(where, name, "is negative");
            }
            yield return new SloTarget(scenario, metric, limit);
        }
    }

    private static List<SloScenario> ScenarioList(object value, string where)
    {
        if (value is not TomlArray array || array.Count == 0)
        {
            throw Invalid(where, "scenarios", "is not a list of scenario names");
        }
        var names = array.Select(item => item as string ?? throw Invalid(where, "scenarios", "holds something other than names")).ToHashSet(StringComparer.Ordinal);
        var unknown = names.FirstOrDefault(n => SloScenario.Named(n) is null);
        return unknown is null
            ? [.. SloScenario.All.Where(s => names.Contains(s.Name))]
            : throw Invalid(where, "scenarios", $"names '{unknown}', not uncached, cached, incremental or release");
    }


    private static SloSpecException Invalid(string where, string key, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{where}: {key} {problem}"));
}

/// <summary>An SLO table that cannot be used, reported with exit code 2.</summary>
public sealed class SloSpecException(string message) : Exception(message);
