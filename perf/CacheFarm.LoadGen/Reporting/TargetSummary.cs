namespace CacheFarm.LoadGen.Reporting;

/// <summary>One target's results for one scenario: every round, and their medians.</summary>
internal sealed record TargetSummary
{
    public required string Target { get; init; }

    public required string Address { get; init; }

    public int? ServerPid { get; init; }

    /// <summary>Null when no round produced measurements.</summary>
    public RunMetrics? Median { get; init; }

    public required IReadOnlyList<RunMetrics> Rounds { get; init; }
}
