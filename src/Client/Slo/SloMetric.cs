namespace CacheFarm.Client.Slo;

/// <summary>A figure measured for each scenario, with the key that sets a target on it and the target's direction.</summary>
public sealed record SloMetric(string Key, string Title, SloUnit Unit, bool AtLeast)
{
    public static readonly SloMetric Wall = new("wall_seconds", "wall time", SloUnit.Seconds, AtLeast: false);
    public static readonly SloMetric WallRatio = new("wall_ratio", "wall time / uncached", SloUnit.Ratio, AtLeast: false);
    public static readonly SloMetric PeakMemory = new("peak_memory_bytes", "peak memory", SloUnit.Bytes, AtLeast: false);
    public static readonly SloMetric BinaryBytes = new("binary_bytes", "final binaries", SloUnit.Bytes, AtLeast: false);
    public static readonly SloMetric BinarySizeChange = new("binary_size_change", "binary size vs baseline", SloUnit.Change, AtLeast: false);
    public static readonly SloMetric HitRate = new("hit_rate", "hit rate", SloUnit.Fraction, AtLeast: true);
    public static readonly SloMetric Link = new("link_seconds", "time linking", SloUnit.Seconds, AtLeast: false);
    public static readonly SloMetric BuildScripts = new("build_script_seconds", "time in build scripts", SloUnit.Seconds, AtLeast: false);

    /// <summary>Every metric, in the order the tables show them.</summary>
    public static readonly IReadOnlyList<SloMetric> All = [Wall, WallRatio, PeakMemory, BinaryBytes, BinarySizeChange, HitRate, Link, BuildScripts];

    public static SloMetric? Keyed(string key) => All.FirstOrDefault(m => m.Key == key);
}

/// <summary>How a metric's values read.</summary>
public enum SloUnit
{
    Seconds,
    Bytes,
    Ratio,
    Fraction,
    Change,
}
