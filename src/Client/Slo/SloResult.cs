namespace CacheFarm.Client.Slo;

/// <summary>
/// The outcome of one <c>cachefarm slo</c> run: every figure of every scenario (medians over the repetitions,
/// ratios taken per repetition against that repetition's uncached build) checked against its target.
/// </summary>
public sealed record SloResult
{
    public required string Workspace { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required int Repetitions { get; init; }

    public required IReadOnlyList<SloRow> Rows { get; init; }

    /// <summary>What the reader should know about how the figures were taken (a warm-up pass, a missing baseline).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IEnumerable<SloRow> Failed => Rows.Where(r => r.Passed == false);

    public bool Passed => !Failed.Any();

    /// <summary>
    /// Evaluates <paramref name="runs"/> (one list per repetition) against <paramref name="spec"/>'s targets;
    /// <paramref name="baseline"/> holds the saved binary sizes per scenario.
    /// </summary>
    public static SloResult Evaluate(
        string workspace, DateTimeOffset started, SloSpec spec, IReadOnlyList<IReadOnlyList<ScenarioMeasurement>> runs,
        IReadOnlyDictionary<string, long> baseline, IReadOnlyList<string> notes)
    {
        var rows = new List<SloRow>();
        var ranScenarios = runs.SelectMany(r => r).Select(m => m.Scenario).Distinct().ToList();
        foreach (var scenario in SloScenario.All)
        {
            var target = (SloMetric metric) => spec.Targets.FirstOrDefault(t => t.Scenario == scenario && t.Metric == metric);
            if (!ranScenarios.Contains(scenario))
            {
                rows.AddRange(spec.Targets.Where(t => t.Scenario == scenario).Select(t => new SloRow(scenario, t.Metric, null, t, SloRow.NotRun)));
                continue;
            }
            foreach (var metric in SloMetric.All)
            {
                var values = runs.Select(run => Value(run, scenario, metric, baseline)).ToList();
                var figure = SloFigure.Of(values);
                if (figure is null && target(metric) is null)
                {
                    continue;
                }
                var note = figure is not null ? null
                    : metric == SloMetric.BinarySizeChange ? "no baseline: run cachefarm slo --save-baseline"
                    : metric == SloMetric.WallRatio ? "needs the uncached scenario"
                    : "not measured";
                rows.Add(new SloRow(scenario, metric, figure, target(metric), note));
            }
        }
        return new SloResult { Workspace = workspace, Started = started, Repetitions = runs.Count, Rows = rows, Notes = notes };
    }

    private static double? Value(IReadOnlyList<ScenarioMeasurement> run, SloScenario scenario, SloMetric metric, IReadOnlyDictionary<string, long> baseline)
    {
        var measured = run.FirstOrDefault(m => m.Scenario == scenario);
        if (measured is null)
        {
            return null;
        }
        if (metric == SloMetric.WallRatio)
        {
            return scenario != SloScenario.Uncached && run.FirstOrDefault(m => m.Scenario == SloScenario.Uncached) is { WallSeconds: > 0 } uncached
                ? measured.WallSeconds / uncached.WallSeconds
                : null;
        }
        if (metric == SloMetric.BinarySizeChange)
        {
            return baseline.TryGetValue(scenario.Name, out var saved) && saved > 0 && measured.Binaries.Count > 0
                ? (measured.BinaryBytes - saved) / (double)saved
                : null;
        }
        return measured.Value(metric);
    }
}
