namespace CacheFarm.LoadGen.Reporting;

/// <summary>cachefarmd divided by redis for the median figures: above 1 is better for throughput, worse for latency and CPU.</summary>
internal sealed record RatioMetrics
{
    public double? MibPerSecond { get; init; }

    public double? OpsPerSecond { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? ServerCpuMsPerMiB { get; init; }

    public double? ServerCpuUsPerOp { get; init; }

    public static RatioMetrics Of(RunMetrics daemon, RunMetrics redis) => new()
    {
        MibPerSecond = Divide(daemon.MibPerSecond, redis.MibPerSecond),
        OpsPerSecond = Divide(daemon.OpsPerSecond, redis.OpsPerSecond),
        P50Ms = Divide(daemon.P50Ms, redis.P50Ms),
        P95Ms = Divide(daemon.P95Ms, redis.P95Ms),
        P99Ms = Divide(daemon.P99Ms, redis.P99Ms),
        ServerCpuMsPerMiB = Divide(daemon.ServerCpuMsPerMiB, redis.ServerCpuMsPerMiB),
        ServerCpuUsPerOp = Divide(daemon.ServerCpuUsPerOp, redis.ServerCpuUsPerOp),
    };

    private static double? Divide(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? n / d : null;
}
