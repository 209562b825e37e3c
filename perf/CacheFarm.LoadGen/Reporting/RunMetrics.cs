namespace CacheFarm.LoadGen.Reporting;

/// <summary>Results of one measured window: one scenario, one target, one round (or the median of several).</summary>
internal sealed record RunMetrics
{
    public required string Scenario { get; init; }

    public required string Target { get; init; }

    /// <summary>1-based; 0 for a median over rounds.</summary>
    public int Round { get; init; }

    public int Users { get; init; }

    public double ElapsedSeconds { get; init; }

    public long Operations { get; init; }

    public long Bytes { get; init; }

    public long Errors { get; init; }

    public double MibPerSecond { get; init; }

    public double OpsPerSecond { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }

    /// <summary>Highest VmRSS sampled during the measured window.</summary>
    public double? ServerPeakRssMiB { get; init; }

    /// <summary>VmHWM at the end of the window: the peak over the server's whole life so far.</summary>
    public double? ServerHwmMiB { get; init; }

    public double? ServerCpuMs { get; init; }

    public double? ServerCpuMsPerMiB { get; init; }

    public double? ServerCpuUsPerOp { get; init; }

    public double ClientCpuMs { get; init; }

    public double? ClientCpuMsPerMiB { get; init; }

    public IReadOnlyList<OperationMetrics> ByOperation { get; init; } = [];

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    /// <summary>Why the run produced no measurements (preload or connection failure); null when it ran.</summary>
    public string? Failure { get; init; }
}
