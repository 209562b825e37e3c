using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Storage;

/// <summary>What one storage tier did since start or the last ZeroStats (the fields a tier does not use stay zero).</summary>
internal sealed class TierCounters
{
    public long BlobHits;
    public long BlobMisses;
    public long EntryHits;
    public long EntryMisses;
    public long Writes;
    public long BytesRead;
    public long BytesWritten;
    public long Errors;
    public long Timeouts;
    public long CorruptReads;
    public long Requests;
    public long SkippedRequests;
    public long Backfills;
    public long DroppedWrites;
    public long DeduplicatedWrites;

    public void CopyTo(TierStats stats)
    {
        stats.BlobHits = Interlocked.Read(ref BlobHits);
        stats.BlobMisses = Interlocked.Read(ref BlobMisses);
        stats.EntryHits = Interlocked.Read(ref EntryHits);
        stats.EntryMisses = Interlocked.Read(ref EntryMisses);
        stats.Writes = Interlocked.Read(ref Writes);
        stats.BytesRead = Interlocked.Read(ref BytesRead);
        stats.BytesWritten = Interlocked.Read(ref BytesWritten);
        stats.Errors = Interlocked.Read(ref Errors);
        stats.Timeouts = Interlocked.Read(ref Timeouts);
        stats.CorruptReads = Interlocked.Read(ref CorruptReads);
        stats.Requests = Interlocked.Read(ref Requests);
        stats.SkippedRequests = Interlocked.Read(ref SkippedRequests);
        stats.Backfills = Interlocked.Read(ref Backfills);
        stats.DroppedWrites = Interlocked.Read(ref DroppedWrites);
        stats.DeduplicatedWrites = Interlocked.Read(ref DeduplicatedWrites);
    }

    public void Zero()
    {
        Interlocked.Exchange(ref BlobHits, 0);
        Interlocked.Exchange(ref BlobMisses, 0);
        Interlocked.Exchange(ref EntryHits, 0);
        Interlocked.Exchange(ref EntryMisses, 0);
        Interlocked.Exchange(ref Writes, 0);
        Interlocked.Exchange(ref BytesRead, 0);
        Interlocked.Exchange(ref BytesWritten, 0);
        Interlocked.Exchange(ref Errors, 0);
        Interlocked.Exchange(ref Timeouts, 0);
        Interlocked.Exchange(ref CorruptReads, 0);
        Interlocked.Exchange(ref Requests, 0);
        Interlocked.Exchange(ref SkippedRequests, 0);
        Interlocked.Exchange(ref Backfills, 0);
        Interlocked.Exchange(ref DroppedWrites, 0);
        Interlocked.Exchange(ref DeduplicatedWrites, 0);
    }
}
