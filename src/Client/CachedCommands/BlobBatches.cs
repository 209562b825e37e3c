namespace CacheFarm.Client.CachedCommands;

/// <summary>Splits small blobs into batch calls that stay under the daemon's 4 MiB message limit.</summary>
public static class BlobBatches
{
    private const long BatchBytes = 3 << 20;

    /// <summary>Consecutive groups of <paramref name="items"/> of at most 3 MiB each (one larger item goes alone).</summary>
    public static IEnumerable<List<T>> Split<T>(IEnumerable<T> items, Func<T, long> size)
    {
        var batch = new List<T>();
        long total = 0;
        foreach (var item in items)
        {
            var bytes = size(item);
            if (batch.Count > 0 && total + bytes > BatchBytes)
            {
                yield return batch;
                batch = [];
                total = 0;
            }
            batch.Add(item);
            total += bytes;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
