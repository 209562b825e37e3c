namespace CacheFarm.LoadGen.Reporting;

/// <summary>One scenario across targets, with each cachefarmd target's ratio to redis when both ran.</summary>
internal sealed record ScenarioReport
{
    public required string Scenario { get; init; }

    public required IReadOnlyList<TargetSummary> Targets { get; init; }

    public required IReadOnlyList<TargetRatio> Ratios { get; init; }
}

/// <summary>One target's median figures over redis'.</summary>
internal sealed record TargetRatio(string Target, RatioMetrics Ratio);
