using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Targets;

/// <summary>The digests a cachefarmd FindMissingBlobs answer names, whichever door it came through.</summary>
internal static class FindMissingAnswer
{
    /// <exception cref="BlobMismatchException">The answer names a malformed digest.</exception>
    public static IReadOnlyList<ContentDigest> Digests(FindMissingBlobsResponse response)
    {
        var missing = new List<ContentDigest>(response.Missing.Count);
        foreach (var digest in response.Missing)
        {
            missing.Add(ContentDigest.TryParse(digest, out var parsed, out var error)
                ? parsed
                : throw new BlobMismatchException($"FindMissingBlobs answered a malformed digest: {error}"));
        }
        return missing;
    }
}
