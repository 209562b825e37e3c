namespace CacheFarm.Daemon.Storage;

/// <summary>Where a read of [offset, offset+length) ends once clipped to the blob, for every <see cref="IBlobReader"/>.</summary>
internal static class BlobRange
{
    /// <summary>The clipped end; equal to <paramref name="offset"/> for an empty read. No overflow for a length of long.MaxValue.</summary>
    public static long End(long size, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return length <= 0 || offset >= size ? offset : offset + Math.Min(length, size - offset);
    }
}
