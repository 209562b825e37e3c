namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Log geometry derived from the tier's capacity (page, memory and segment sizes).</summary>
/// <remarks>
/// Segments are deleted whole, so they must be small against the capacity for the disk cap to hold;
/// 32 MiB pages pack 32 one-MiB chunk records each with under 1% waste. The in-memory log (an eighth of
/// the capacity, 64–256 MiB) must hold several pages: with only a few, writers stall on every flush.
/// </remarks>
internal sealed record FasterLayout(int PageSizeBits, int MemorySizeBits, int SegmentSizeBits, int IndexBucketsBits)
{
    /// <summary>Chunk payload: 32 records of (header + key + checksum + payload) fill one 32 MiB page.</summary>
    public const int ChunkPayload = (1 << 20) - 128;

    public long PageSize => 1L << PageSizeBits;

    public long SegmentSize => 1L << SegmentSizeBits;

    public long MemorySize => 1L << MemorySizeBits;

    public static FasterLayout ForCapacity(long capacity, long? memoryBytes = null)
    {
        const int pageBits = 25;
        var segmentBits = Math.Clamp(Log2Floor(capacity / 8), pageBits, 28);
        var memoryBits = memoryBytes is > 0
            ? Math.Max(pageBits + 1, Log2Floor(memoryBytes.Value))
            : Math.Clamp(Log2Floor(capacity / 8), pageBits + 1, 28);
        return new FasterLayout(pageBits, memoryBits, segmentBits, 17);
    }

    private static int Log2Floor(long value) => value <= 1 ? 0 : 63 - (int)long.LeadingZeroCount(value);
}
