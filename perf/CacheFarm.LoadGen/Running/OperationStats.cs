using CacheFarm.LoadGen.Measurement;

namespace CacheFarm.LoadGen.Running;

/// <summary>Tally of one operation kind: successes, bytes moved, failures, and the latency of successes.</summary>
internal sealed class OperationStats
{
    public long Count { get; set; }

    public long Bytes { get; set; }

    public long Errors { get; set; }

    /// <summary>Successful operations only: a timeout's latency says nothing about the server's speed.</summary>
    public LatencyHistogram Latency { get; } = new();

    public void Add(OperationStats other)
    {
        Count += other.Count;
        Bytes += other.Bytes;
        Errors += other.Errors;
        Latency.Add(other.Latency);
    }
}
