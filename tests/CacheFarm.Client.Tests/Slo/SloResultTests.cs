using CacheFarm.Client.Slo;

namespace CacheFarm.Client.Tests.Slo;

/// <summary>Figures over repetitions (medians, ranges, per-repetition ratios) and targets checked on the median.</summary>
public sealed class SloResultTests
{
    private static ScenarioMeasurement Run(SloScenario scenario, double wall, long binary = 1000, double? hitRate = null) => new()
    {
        Scenario = scenario,
        WallSeconds = wall,
        PeakMemoryBytes = 200_000_000,
        Binaries = new Dictionary<string, long> { ["app"] = binary },
        HitRate = hitRate,
        LinkSeconds = 0.5,
        BuildScriptSeconds = 1.5,
    };

    private static SloSpec Spec(params SloTarget[] targets) => new() { Targets = targets };

    private static readonly IReadOnlyDictionary<string, long> NoBaseline = new Dictionary<string, long>();

    [Fact]
    public void The_median_of_three_repetitions_is_checked_and_the_range_shown()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs = [[Run(SloScenario.CachedClean, 12)], [Run(SloScenario.CachedClean, 30)], [Run(SloScenario.CachedClean, 10)]];
        var result = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, Spec(new SloTarget(SloScenario.CachedClean, SloMetric.Wall, 15)), runs, NoBaseline, []);
        var wall = result.Rows.Single(r => r.Metric == SloMetric.Wall);
        Assert.Equal(new SloFigure(12, 10, 30, 3), wall.Figure);
        Assert.True(wall.Passed);
        Assert.Equal("12.00 s (10.00 s–30.00 s)", wall.Value);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Ratios_are_taken_per_repetition_against_that_repetitions_uncached_build()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs =
        [
            [Run(SloScenario.Uncached, 100), Run(SloScenario.CachedClean, 20)],
            [Run(SloScenario.Uncached, 50), Run(SloScenario.CachedClean, 15)],
            [Run(SloScenario.Uncached, 80), Run(SloScenario.CachedClean, 20)],
        ];
        var result = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, Spec(new SloTarget(SloScenario.CachedClean, SloMetric.WallRatio, 0.25)), runs, NoBaseline, []);
        var ratio = result.Rows.Single(r => r.Metric == SloMetric.WallRatio);
        Assert.Equal(0.25, ratio.Figure!.Median, 6);
        Assert.Equal(0.2, ratio.Figure.Min, 6);
        Assert.Equal(0.3, ratio.Figure.Max, 6);
        Assert.True(ratio.Passed);
        Assert.DoesNotContain(result.Rows, r => r.Scenario == SloScenario.Uncached && r.Metric == SloMetric.WallRatio);
    }

    [Fact]
    public void A_missed_target_fails_the_result_and_names_the_row()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs = [[Run(SloScenario.CachedClean, 12, hitRate: 0.8)]];
        var result = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, Spec(new SloTarget(SloScenario.CachedClean, SloMetric.HitRate, 0.9)), runs, NoBaseline, []);
        Assert.False(result.Passed);
        Assert.Equal("cached.hit_rate", Assert.Single(result.Failed).Target!.Name);
        Assert.Contains("1 of 1 targets missed: cached.hit_rate", SloTextReport.Render(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Size_change_compares_with_the_saved_baseline_and_fails_without_one()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs = [[Run(SloScenario.ReleaseBuild, 30, binary: 850)]];
        var spec = Spec(new SloTarget(SloScenario.ReleaseBuild, SloMetric.BinarySizeChange, -0.10));
        var withBaseline = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, spec, runs, new Dictionary<string, long> { ["release"] = 1000 }, []);
        var change = withBaseline.Rows.Single(r => r.Metric == SloMetric.BinarySizeChange);
        Assert.Equal(-0.15, change.Figure!.Median, 6);
        Assert.True(change.Passed);
        var without = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, spec, runs, NoBaseline, []);
        var missing = without.Rows.Single(r => r.Metric == SloMetric.BinarySizeChange);
        Assert.False(missing.Passed);
        Assert.StartsWith("no baseline", missing.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_of_a_scenario_not_run_are_shown_and_not_counted()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs = [[Run(SloScenario.CachedClean, 12)]];
        var result = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, Spec(new SloTarget(SloScenario.ReleaseBuild, SloMetric.Wall, 60)), runs, NoBaseline, []);
        var row = result.Rows.Single(r => r.Scenario == SloScenario.ReleaseBuild);
        Assert.Null(row.Passed);
        Assert.Equal(SloRow.NotRun, row.Note);
        Assert.True(result.Passed);
    }

    [Fact]
    public void The_json_form_parses_and_carries_every_row()
    {
        IReadOnlyList<ScenarioMeasurement>[] runs = [[Run(SloScenario.Uncached, 40), Run(SloScenario.CachedClean, 12, hitRate: 1.0)]];
        var result = SloResult.Evaluate("/ws", DateTimeOffset.UnixEpoch, Spec(new SloTarget(SloScenario.CachedClean, SloMetric.Wall, 10)), runs, NoBaseline, ["a note"]);
        using var json = System.Text.Json.JsonDocument.Parse(SloJsonReport.Render(result));
        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(result.Rows.Count, root.GetProperty("rows").GetArrayLength());
        var wall = root.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("scenario").GetString() == "cached" && r.GetProperty("figure").GetString() == "wall_seconds");
        Assert.Equal(12, wall.GetProperty("median").GetDouble());
        Assert.Equal(10, wall.GetProperty("at_most").GetDouble());
        Assert.False(wall.GetProperty("passed").GetBoolean());
        Assert.Equal("a note", root.GetProperty("notes")[0].GetString());
    }
}
