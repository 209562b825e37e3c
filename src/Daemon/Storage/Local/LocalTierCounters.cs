using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Hit, miss and byte counters of the local tier.</summary>
internal sealed class LocalTierCounters
{
    public long BlobHits;
    public long BlobMisses;
    public long EntryHits;
    public long EntryMisses;
    public long Writes;
    public long BytesRead;
    public long BytesWritten;
    public long CorruptReads;
    public long SecondChanceCopies;
    public long Errors;

    public void CopyTo(TierStats stats)
    {
        stats.BlobHits = Interlocked.Read(ref BlobHits);
        stats.BlobMisses = Interlocked.Read(ref BlobMisses);
        stats.EntryHits = Interlocked.Read(ref EntryHits);
        stats.EntryMisses = Interlocked.Read(ref EntryMisses);
        stats.Writes = Interlocked.Read(ref Writes);
        stats.BytesRead = Interlocked.Read(ref BytesRead);
        stats.BytesWritten = Interlocked.Read(ref BytesWritten);
        stats.CorruptReads = Interlocked.Read(ref CorruptReads);
        stats.Errors = Interlocked.Read(ref Errors);
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
        Interlocked.Exchange(ref CorruptReads, 0);
        Interlocked.Exchange(ref SecondChanceCopies, 0);
        Interlocked.Exchange(ref Errors, 0);
    }
}
