namespace CacheFarm.LoadGen.Reporting;

/// <summary>Results of one operation kind within a run (a scenario may mix reads and writes).</summary>
internal sealed record OperationMetrics
{
    public required string Operation { get; init; }

    public long Operations { get; init; }

    public long Errors { get; init; }

    public double MibPerSecond { get; init; }

    public double OpsPerSecond { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }
}
