namespace CacheFarm.Client.Slo;

/// <summary>What one run of a scenario measured.</summary>
public sealed record ScenarioMeasurement
{
    public required SloScenario Scenario { get; init; }

    public required double WallSeconds { get; init; }

    /// <summary>Peak of the build's process tree, summed over concurrent processes; null when /proc could not tell.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The workspace's final binaries (executables and shared or static libraries) by file name, in bytes.</summary>
    public required IReadOnlyDictionary<string, long> Binaries { get; init; }

    /// <summary>Hits among the calls the cache could serve; null when it served none (the uncached build).</summary>
    public double? HitRate { get; init; }

    public int Hits { get; init; }

    public int Misses { get; init; }

    /// <summary>Link time from the build's records; null when the daemon kept none for it.</summary>
    public double? LinkSeconds { get; init; }

    /// <summary>Build-script run time from cargo's own timings; null when cargo wrote none.</summary>
    public double? BuildScriptSeconds { get; init; }

    public long BinaryBytes => Binaries.Values.Sum();

    /// <summary>The value of a figure measured directly (not one computed against another build).</summary>
    public double? Value(SloMetric metric) =>
        metric == SloMetric.Wall ? WallSeconds
        : metric == SloMetric.PeakMemory ? PeakMemoryBytes
        : metric == SloMetric.BinaryBytes ? (Binaries.Count > 0 ? BinaryBytes : null)
        : metric == SloMetric.HitRate ? HitRate
        : metric == SloMetric.Link ? LinkSeconds
        : metric == SloMetric.BuildScripts ? BuildScriptSeconds
        : null;
}
