using System.Globalization;
using CacheFarm.LoadGen.Reporting;

namespace CacheFarm.LoadGen.Running;

/// <summary>One line on stderr per finished run, so a long session shows it is alive and what it finds.</summary>
internal static class ProgressLine
{
    public static void Print(RunMetrics run, int rounds)
    {
        var prefix = $"[{run.Scenario}] round {run.Round}/{rounds} {run.Target,-10}";
        Console.Error.WriteLine(run.Failure is not null
            ? $"{prefix} FAILED: {run.Failure}"
            : string.Create(CultureInfo.InvariantCulture,
                $"{prefix} {run.MibPerSecond,8:F1} MiB/s {run.OpsPerSecond,9:F0} ops/s  p50 {run.P50Ms:F2} ms  p99 {run.P99Ms:F2} ms  errors {run.Errors}"));
        foreach (var sample in run.ErrorSamples)
        {
            Console.Error.WriteLine($"    {sample}");
        }
    }
}
