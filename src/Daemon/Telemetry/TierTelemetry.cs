using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>Latency and a trace span for each storage-tier operation (tier, operation, outcome).</summary>
public static class TierTelemetry
{
    private static readonly Histogram<double> Duration = CacheFarmTelemetry.Meter.CreateHistogram<double>(
        "cachefarm.tier.duration", "s", "storage tier operation latency by tier, operation and outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10] });

    /// <summary>Starts timing; the span exists only while a trace listener (OTLP) is attached.</summary>
    public static TierTimer Start(string tier, string operation)
    {
        // Checked first: the span's name is built per call, which costs more than the operation on an entry hit.
        var activity = CacheFarmTelemetry.Activities.HasListeners() ? CacheFarmTelemetry.Activities.StartActivity($"{tier} {operation}") : null;
        activity?.SetTag("cachefarm.tier", tier);
        return new TierTimer(tier, operation, Stopwatch.GetTimestamp(), activity);
    }

    /// <summary>One timed tier operation.</summary>
    public readonly struct TierTimer(string tier, string operation, long start, Activity? activity)
    {
        /// <summary>Records the latency under <paramref name="outcome"/> ("hit", "miss", "ok", "error").</summary>
        public void End(string outcome)
        {
            Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new TagList { { "tier", tier }, { "operation", operation }, { "outcome", outcome } });
            if (activity is not null)
            {
                activity.SetTag("cachefarm.outcome", outcome);
                if (outcome == "error")
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
                activity.Dispose();
            }
        }
    }
}
