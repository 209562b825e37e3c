using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>Daemon-wide request counters, reported by GetStats and reset by ZeroStats.</summary>
public sealed class RequestCounters : CounterSet<RequestCounter, RequestStats>
{
    // A level, not a count: ZeroStats leaves it alone.
    public long DeferredStoresQueued;
    private long _sinceUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public long SinceUnixMs => Interlocked.Read(ref _sinceUnixMs);

    public RequestStats Snapshot()
    {
        var stats = new RequestStats { DeferredStoresQueued = Interlocked.Read(ref DeferredStoresQueued) };
        AddTo(stats);
        return stats;
    }

    public override void Zero()
    {
        base.Zero();
        Interlocked.Exchange(ref _sinceUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}

/// <summary>The counters of <see cref="RequestCounters"/>, named as the <see cref="RequestStats"/> fields they fill.</summary>
public enum RequestCounter
{
    BlobReads,
    BlobReadHits,
    BlobWrites,
    BlobWritesDeduplicated,
    BlobWriteRejections,
    EntryGets,
    EntryHits,
    EntryPuts,
    EntryIncomplete,
    BytesRead,
    BytesWritten,
    FindMissingCalls,
    Rpcs,
    DeferredStores,
    DeferredStoreFailures,
    FastPathCalls,
    BulkReadCalls,
}
