using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Storage;

/// <summary>What one storage tier did since start or the last ZeroStats (the counters a tier does not use stay zero).</summary>
internal sealed class TierCounters : CounterSet<TierCounter, TierStats>;

/// <summary>The counters of <see cref="TierCounters"/>, named as the <see cref="TierStats"/> fields they fill.</summary>
internal enum TierCounter
{
    BlobHits,
    BlobMisses,
    EntryHits,
    EntryMisses,
    Writes,
    BytesRead,
    BytesWritten,
    Errors,
    Timeouts,
    CorruptReads,
    Requests,
    SkippedRequests,
    Backfills,
    DroppedWrites,
    DeduplicatedWrites,
}
