using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>Uploads whichever of a set of blobs the target does not already hold.</summary>
internal static class BlobPreloader
{
    private const int QueryBatch = 500;

    public static async Task EnsurePresentAsync(
        ICacheTarget target, IReadOnlyList<IBlobPayload> blobs, CancellationToken cancellationToken)
    {
        for (var start = 0; start < blobs.Count; start += QueryBatch)
        {
            var batch = blobs.Skip(start).Take(QueryBatch).ToList();
            var missing = (await target.FindMissingAsync(batch.Select(b => b.Digest).ToList(), cancellationToken)).ToHashSet();
            foreach (var blob in batch.Where(b => missing.Contains(b.Digest)))
            {
                await target.WriteBlobAsync(blob, cancellationToken);
            }
        }
    }
}
