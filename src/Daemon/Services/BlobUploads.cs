using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services;

/// <summary>Verified blob writes for every front door, counted the same way whichever door they came through.</summary>
public sealed class BlobUploads(ICacheStore store, BlobWriteLocks writeLocks, RequestCounters counters)
{
    /// <summary>Stores one blob from its bytes in order; throws a <see cref="RequestRefusedException"/> when it is refused.</summary>
    public async Task<UploadOutcome> StoreAsync(NamespaceId ns, ContentDigest digest, IAsyncEnumerable<ReadOnlyMemory<byte>> frames, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await new VerifiedUpload(store, writeLocks, ns, digest).RunAsync(frames, cancellationToken).ConfigureAwait(false);
            if (outcome == UploadOutcome.AlreadyPresent)
            {
                Interlocked.Increment(ref counters[RequestCounter.BlobWritesDeduplicated]);
            }
            else
            {
                Interlocked.Increment(ref counters[RequestCounter.BlobWrites]);
                Interlocked.Add(ref counters[RequestCounter.BytesWritten], digest.Size);
            }
            return outcome;
        }
        catch (RequestRefusedException)
        {
            Interlocked.Increment(ref counters[RequestCounter.BlobWriteRejections]);
            throw;
        }
    }

    /// <summary>Stores one blob whose bytes are all in hand.</summary>
    public Task<UploadOutcome> StoreAsync(NamespaceId ns, ContentDigest digest, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        StoreAsync(ns, digest, Single(data), cancellationToken);

    /// <summary>BatchUpdateBlobs: every item is verified and answered on its own.</summary>
    public async Task<BatchUpdateBlobsResponse> StoreBatchAsync(NamespaceId ns, IReadOnlyList<BatchUpdateBlobsRequest.Types.Item> items, CancellationToken cancellationToken)
    {
        var response = new BatchUpdateBlobsResponse();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var result = new BatchUpdateBlobsResponse.Types.Item { Digest = item.Digest };
            response.Items.Add(result);
            if (!ContentDigest.TryParse(item.Digest, out var digest, out var error, $"items[{i}].digest"))
            {
                result.Status = ItemStatuses.Of(Refusal.Invalid, error);
                Interlocked.Increment(ref counters[RequestCounter.BlobWriteRejections]);
                continue;
            }
            try
            {
                await StoreAsync(ns, digest, item.Data.Memory, cancellationToken).ConfigureAwait(false);
                result.Status = ItemStatuses.Ok;
            }
            catch (RequestRefusedException e)
            {
                result.Status = ItemStatuses.Of(e.Refusal, e.Message);
            }
        }
        return response;
    }

#pragma warning disable CS1998 // A one-item stream has nothing to await.
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Single(ReadOnlyMemory<byte> data)
    {
        yield return data;
    }
#pragma warning restore CS1998
}
