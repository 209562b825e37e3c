namespace CacheFarm.LoadGen.Reporting;

/// <summary>One scenario across targets, with the cachefarmd/redis ratio when both ran.</summary>
internal sealed record ScenarioReport
{
    public required string Scenario { get; init; }

    public required IReadOnlyList<TargetSummary> Targets { get; init; }

    public RatioMetrics? Ratio { get; init; }
}
