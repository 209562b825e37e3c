namespace CacheFarm.LoadGen.Cli;

/// <summary>Everything one invocation of the load generator was asked to do.</summary>
internal sealed record LoadGenOptions
{
    public required IReadOnlyList<string> Scenarios { get; init; }

    public required IReadOnlyList<TargetSpec> Targets { get; init; }

    public int Concurrency { get; init; } = 8;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, the measured window ends after this many operations instead of after <see cref="Duration"/>.</summary>
    public long? Requests { get; init; }

    /// <summary>Time bound of a measured window in request-count mode.</summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Rounds { get; init; } = 1;

    public string Namespace { get; init; } = "loadgen";

    public int? DaemonPid { get; init; }

    public string? DaemonPidFile { get; init; }

    public int? RedisPid { get; init; }

    public string? JsonPath { get; init; }

    public string? MarkdownPath { get; init; }

    public WorkloadSettings Workload { get; init; } = new();
}
