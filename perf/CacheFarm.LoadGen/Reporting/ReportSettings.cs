using System.Runtime.InteropServices;
using CacheFarm.LoadGen.Cli;

namespace CacheFarm.LoadGen.Reporting;

/// <summary>How the figures were obtained, stored with them so that a JSON file explains itself.</summary>
internal sealed record ReportSettings
{
    public required int Concurrency { get; init; }

    public required double WarmupSeconds { get; init; }

    public double? DurationSeconds { get; init; }

    public long? Requests { get; init; }

    public required int Rounds { get; init; }

    public required string Namespace { get; init; }

    public required WorkloadSettings Workload { get; init; }

    public required int ProcessorCount { get; init; }

    public required string Runtime { get; init; }

    public static ReportSettings From(LoadGenOptions options) => new()
    {
        Concurrency = options.Concurrency,
        WarmupSeconds = options.Warmup.TotalSeconds,
        DurationSeconds = options.Requests is null ? options.Duration.TotalSeconds : null,
        Requests = options.Requests,
        Rounds = options.Rounds,
        Namespace = options.Namespace,
        Workload = options.Workload,
        ProcessorCount = Environment.ProcessorCount,
        Runtime = RuntimeInformation.FrameworkDescription,
    };
}
