namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Local-tier reads made only to feed write-behind uploads, taken back out of the local tier's hit counters.</summary>
/// <remarks>The local tier counts every read as a hit; its stats should count what clients read.</remarks>
internal sealed class UploadLocalReads
{
    private long _reads;
    private long _bytes;

    public void Record(long bytes)
    {
        Interlocked.Increment(ref _reads);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Subtract(Protos.V1.TierStats local)
    {
        local.BlobHits = Math.Max(0, local.BlobHits - Interlocked.Read(ref _reads));
        local.BytesRead = Math.Max(0, local.BytesRead - Interlocked.Read(ref _bytes));
    }

    public void Zero()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }
}
