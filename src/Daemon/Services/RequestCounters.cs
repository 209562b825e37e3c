using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>Daemon-wide request counters, reported by GetStats and reset by ZeroStats.</summary>
public sealed class RequestCounters
{
    public long BlobReads;
    public long BlobReadHits;
    public long BlobWrites;
    public long BlobWritesDeduplicated;
    public long BlobWriteRejections;
    public long EntryGets;
    public long EntryHits;
    public long EntryPuts;
    public long EntryIncomplete;
    public long BytesRead;
    public long BytesWritten;
    public long FindMissingCalls;
    public long Rpcs;
    public long DeferredStores;
    public long DeferredStoreFailures;

    // A level, not a count: ZeroStats leaves it alone.
    public long DeferredStoresQueued;
    private long _sinceUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public long SinceUnixMs => Interlocked.Read(ref _sinceUnixMs);

    public RequestStats Snapshot() => new()
    {
        BlobReads = Interlocked.Read(ref BlobReads),
        BlobReadHits = Interlocked.Read(ref BlobReadHits),
        BlobWrites = Interlocked.Read(ref BlobWrites),
        BlobWritesDeduplicated = Interlocked.Read(ref BlobWritesDeduplicated),
        BlobWriteRejections = Interlocked.Read(ref BlobWriteRejections),
        EntryGets = Interlocked.Read(ref EntryGets),
        EntryHits = Interlocked.Read(ref EntryHits),
        EntryPuts = Interlocked.Read(ref EntryPuts),
        EntryIncomplete = Interlocked.Read(ref EntryIncomplete),
        BytesRead = Interlocked.Read(ref BytesRead),
        BytesWritten = Interlocked.Read(ref BytesWritten),
        FindMissingCalls = Interlocked.Read(ref FindMissingCalls),
        Rpcs = Interlocked.Read(ref Rpcs),
        DeferredStores = Interlocked.Read(ref DeferredStores),
        DeferredStoreFailures = Interlocked.Read(ref DeferredStoreFailures),
        DeferredStoresQueued = Interlocked.Read(ref DeferredStoresQueued),
    };

    public void Zero()
    {
        Interlocked.Exchange(ref BlobReads, 0);
        Interlocked.Exchange(ref BlobReadHits, 0);
        Interlocked.Exchange(ref BlobWrites, 0);
        Interlocked.Exchange(ref BlobWritesDeduplicated, 0);
        Interlocked.Exchange(ref BlobWriteRejections, 0);
        Interlocked.Exchange(ref EntryGets, 0);
        Interlocked.Exchange(ref EntryHits, 0);
        Interlocked.Exchange(ref EntryPuts, 0);
        Interlocked.Exchange(ref EntryIncomplete, 0);
        Interlocked.Exchange(ref BytesRead, 0);
        Interlocked.Exchange(ref BytesWritten, 0);
        Interlocked.Exchange(ref FindMissingCalls, 0);
        Interlocked.Exchange(ref Rpcs, 0);
        Interlocked.Exchange(ref DeferredStores, 0);
        Interlocked.Exchange(ref DeferredStoreFailures, 0);
        Interlocked.Exchange(ref _sinceUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
