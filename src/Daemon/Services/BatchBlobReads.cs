using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Daemon.Services;

/// <summary>Reads several small blobs whole, for every front door, within a byte budget per answer.</summary>
public sealed class BatchBlobReads(ICacheStore store, RequestCounters counters, CacheMetrics metrics)
{
    /// <summary>Largest total payload of one answer; larger blobs go through ReadBlob.</summary>
    public const int MaxBatchBytes = 4 << 20;

    public async Task<BatchReadBlobsResponse> ReadAsync(NamespaceId ns, IReadOnlyList<Digest> digests, CancellationToken cancellationToken)
    {
        var response = new BatchReadBlobsResponse();
        var budget = (long)MaxBatchBytes;
        for (var i = 0; i < digests.Count; i++)
        {
            var digest = RequestArguments.Digest(digests[i], $"digests[{i}]");
            var item = new BatchReadBlobsResponse.Types.Item { Digest = digests[i] };
            response.Items.Add(item);
            if (digest.Size > budget)
            {
                item.Status = ItemStatuses.Of(Refusal.NoRoom, $"batch answers are limited to {MaxBatchBytes} bytes; use ReadBlob");
                continue;
            }
            Interlocked.Increment(ref counters[RequestCounter.BlobReads]);
            var data = await ReadWholeAsync(ns, digest, cancellationToken).ConfigureAwait(false);
            metrics.RecordLookup("blob", ns, data is not null);
            if (data is null)
            {
                item.Status = ItemStatuses.Of(Refusal.NotFound, "blob not found");
                continue;
            }
            budget -= data.Length;
            item.Data = UnsafeByteOperations.UnsafeWrap(data);
            item.Status = ItemStatuses.Ok;
            Interlocked.Increment(ref counters[RequestCounter.BlobReadHits]);
            Interlocked.Add(ref counters[RequestCounter.BytesRead], data.Length);
        }
        return response;
    }

    private async Task<byte[]?> ReadWholeAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        using var reader = await store.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (reader is null)
        {
            return null;
        }
        var data = new byte[reader.Size];
        var at = 0;
        try
        {
            await foreach (var chunk in reader.ReadAsync(0, reader.Size, cancellationToken).ConfigureAwait(false))
            {
                using (chunk)
                {
                    chunk.Data.Span.CopyTo(data.AsSpan(at));
                    at += chunk.Length;
                }
            }
        }
        catch (BlobUnavailableException)
        {
            return null;
        }
        return data;
    }
}
