using CacheFarm.LoadGen.Reporting;

namespace CacheFarm.LoadGen.Running;

/// <summary>Turns a run's merged tallies and window observations into reportable figures.</summary>
internal static class RunMetricsCalculator
{
    private const double MiB = 1024 * 1024;
    private const double NanosecondsPerMs = 1_000_000;

    public static RunMetrics From(
        string scenario, string target, int round, int users, OperationStats?[] totals, MeasuredWindow window, IReadOnlyList<string> errorSamples)
    {
        var all = new OperationStats();
        var byOperation = new List<OperationMetrics>();
        for (var i = 0; i < totals.Length; i++)
        {
            if (totals[i] is not { } stats)
            {
                continue;
            }
            all.Add(stats);
            byOperation.Add(Operation(OperationKindNames.Of((OperationKind)i), stats, window.Elapsed));
        }
        var seconds = window.Elapsed.TotalSeconds;
        var mib = all.Bytes / MiB;
        var serverCpuMs = window.ServerBefore is { } before && window.ServerAfter is { } after
            ? (after.CpuTime - before.CpuTime).TotalMilliseconds
            : (double?)null;
        var clientCpuMs = window.ClientCpu.TotalMilliseconds;
        return new RunMetrics
        {
            Scenario = scenario,
            Target = target,
            Round = round,
            Users = users,
            ElapsedSeconds = seconds,
            Operations = all.Count,
            Bytes = all.Bytes,
            Errors = all.Errors,
            MibPerSecond = seconds > 0 ? mib / seconds : 0,
            OpsPerSecond = seconds > 0 ? all.Count / seconds : 0,
            P50Ms = Ms(all.Latency.ValueAtPercentile(50)),
            P95Ms = Ms(all.Latency.ValueAtPercentile(95)),
            P99Ms = Ms(all.Latency.ValueAtPercentile(99)),
            MaxMs = Ms(all.Latency.Count > 0 ? all.Latency.MaxNanoseconds : 0),
            ServerPeakRssMiB = window.ServerPeakResidentBytes / MiB,
            ServerHwmMiB = window.ServerAfter?.PeakResidentBytes / MiB,
            ServerCpuMs = serverCpuMs,
            ServerCpuMsPerMiB = mib > 0 ? serverCpuMs / mib : null,
            ServerCpuUsPerOp = all.Count > 0 ? serverCpuMs * 1000 / all.Count : null,
            ClientCpuMs = clientCpuMs,
            ClientCpuMsPerMiB = mib > 0 ? clientCpuMs / mib : null,
            ByOperation = byOperation,
            ErrorSamples = errorSamples,
        };
    }

    private static OperationMetrics Operation(string name, OperationStats stats, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        return new OperationMetrics
        {
            Operation = name,
            Operations = stats.Count,
            Errors = stats.Errors,
            MibPerSecond = seconds > 0 ? stats.Bytes / MiB / seconds : 0,
            OpsPerSecond = seconds > 0 ? stats.Count / seconds : 0,
            P50Ms = Ms(stats.Latency.ValueAtPercentile(50)),
            P95Ms = Ms(stats.Latency.ValueAtPercentile(95)),
            P99Ms = Ms(stats.Latency.ValueAtPercentile(99)),
            MaxMs = Ms(stats.Latency.Count > 0 ? stats.Latency.MaxNanoseconds : 0),
        };
    }

    private static double Ms(long nanoseconds) => nanoseconds / NanosecondsPerMs;
}
