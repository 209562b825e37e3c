using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>FindMissingBlobs for every front door: which of a client's digests the cache does not hold.</summary>
public sealed class MissingBlobs(ICacheStore store, RequestCounters counters)
{
    public const int MaxDigestsPerRequest = 10_000;

    public async Task<FindMissingBlobsResponse> FindAsync(NamespaceId ns, IReadOnlyList<Digest> digests, CancellationToken cancellationToken)
    {
        if (digests.Count > MaxDigestsPerRequest)
        {
            throw RequestArguments.Invalid($"digests: at most {MaxDigestsPerRequest} per request, got {digests.Count}");
        }
        Interlocked.Increment(ref counters[RequestCounter.FindMissingCalls]);
        var response = new FindMissingBlobsResponse();
        for (var i = 0; i < digests.Count; i++)
        {
            var digest = RequestArguments.Digest(digests[i], $"digests[{i}]");
            if (!await store.ContainsBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false))
            {
                response.Missing.Add(digests[i]);
            }
        }
        return response;
    }
}
