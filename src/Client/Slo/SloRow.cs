namespace CacheFarm.Client.Slo;

/// <summary>One line of the result: a figure of a scenario over its repetitions, with its target if one is set.</summary>
public sealed record SloRow(SloScenario Scenario, SloMetric Metric, SloFigure? Figure, SloTarget? Target, string? Note = null)
{
    /// <summary>Whether the target holds (on the median); null when there is no target or the scenario was not run.</summary>
    public bool? Passed => Target is null || Note == NotRun ? null : Figure is { } figure && Target.Holds(figure.Median);

    public const string NotRun = "scenario not run";

    public string Value => Figure is { } figure ? SloFormat.Figure(Metric.Unit, figure) : "-";

    public string Result => Passed switch
    {
        true => "pass",
        false => "FAIL",
        null => "",
    };
}
