namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Keeps the log within its capacity: FIFO eviction by moving the begin address, and disk checks.</summary>
/// <remarks>
/// Once the log passes 90% of capacity, eviction moves the begin address to 80% behind the tail; the
/// files go at the next checkpoint. Evicting a tenth of the capacity at a time makes one checkpoint
/// cover many writes instead of one per written chunk. Writers wait while the on-disk span (not yet
/// truncated) is over capacity, so a burst cannot outrun truncation and overfill the disk.
/// </remarks>
internal sealed class LogCapacity
{
    private const double EvictAt = 0.9;
    private const double EvictTo = 0.8;
    private readonly FasterRecordStore _store;
    private readonly string _dataDirectory;
    private long _truncatedBegin;
    private long _evictions;
    private long _evictedBytes;

    public LogCapacity(FasterRecordStore store, long capacity, string dataDirectory)
    {
        _store = store;
        Capacity = capacity;
        _dataDirectory = dataDirectory;
        _truncatedBegin = store.BeginAddress;
    }

    public long Capacity { get; }

    public long UsedBytes => Math.Max(0, _store.TailAddress - _store.BeginAddress);

    public long Evictions => Interlocked.Read(ref _evictions);

    public long EvictedBytes => Interlocked.Read(ref _evictedBytes);

    /// <summary>Raised when an eviction needs a checkpoint to free disk space.</summary>
    public event Action? TruncationNeeded;

    /// <summary>Blobs up to this size fit without evicting themselves while being written.</summary>
    public long MaxBlobSize => (long)(Capacity * 0.45);

    /// <summary>True when a hit at <paramref name="address"/> should be copied forward (second chance).</summary>
    /// <remarks>
    /// "Older half" of the eviction window, not of the log: eviction keeps the newest 80% of capacity,
    /// so only records more than 40% of capacity behind the tail are at risk. Measuring against the log
    /// instead would copy half of all hits in a log far below its cap, rewriting hot blobs for nothing.
    /// </remarks>
    public bool IsInOlderHalf(long address) => address < _store.TailAddress - (long)(Capacity * EvictTo / 2);

    public bool IsLive(long address) => address >= _store.BeginAddress;

    /// <summary>Refuses a write that the disk cannot hold, keeping room for a segment and a checkpoint.</summary>
    public void EnsureDiskRoom(long incomingBytes)
    {
        var available = new DriveInfo(_dataDirectory).AvailableFreeSpace;
        var reserve = (2 * _store.Layout.SegmentSize) + (16L << 20);
        if (available < incomingBytes + reserve)
        {
            throw new StorageFullException(
                $"disk full: {available} bytes free under {_dataDirectory}, {incomingBytes + reserve} needed");
        }
    }

    /// <summary>Evicts the oldest records when the log has grown past its share of capacity.</summary>
    public void EvictIfNeeded()
    {
        var begin = _store.BeginAddress;
        var tail = _store.TailAddress;
        if (tail - begin <= Capacity * EvictAt)
        {
            return;
        }
        _store.ShiftBeginAddress(tail - (long)(Capacity * EvictTo));
        var shifted = _store.BeginAddress - begin;
        if (shifted > 0)
        {
            Interlocked.Increment(ref _evictions);
            Interlocked.Add(ref _evictedBytes, shifted);
            TruncationNeeded?.Invoke();
        }
    }

    /// <summary>Waits (bounded) while un-truncated log files would exceed capacity.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        for (var waited = 0; _store.TailAddress - Interlocked.Read(ref _truncatedBegin) > Capacity; waited += 10)
        {
            if (waited > 30_000)
            {
                throw new StorageFullException("local tier cannot free space fast enough");
            }
            TruncationNeeded?.Invoke();
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records that a checkpoint begun at <paramref name="begin"/> has truncated the files below it.</summary>
    public void MarkTruncated(long begin)
    {
        long current;
        while ((current = Interlocked.Read(ref _truncatedBegin)) < begin
            && Interlocked.CompareExchange(ref _truncatedBegin, begin, current) != current)
        {
        }
    }

    public void ZeroStats()
    {
        Interlocked.Exchange(ref _evictions, 0);
        Interlocked.Exchange(ref _evictedBytes, 0);
    }
}
