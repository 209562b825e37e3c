using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>What working-set prefetches did, reported by GetStats and as metrics, reset by ZeroStats.</summary>
public sealed class PrefetchCounters : CounterSet<PrefetchCounter, PrefetchStats>
{
    public PrefetchStats Snapshot()
    {
        var stats = new PrefetchStats();
        AddTo(stats);
        return stats;
    }
}

/// <summary>The counters of <see cref="PrefetchCounters"/>, named as the <see cref="PrefetchStats"/> fields they fill.</summary>
public enum PrefetchCounter
{
    Started,
    Entries,
    Blobs,
    Bytes,
    Used,
    Wasted,
    AlreadyLocal,
    Missing,
    StoppedBuildEnded,
    StoppedBudget,
    Failures,
    RecordsWritten,
}
