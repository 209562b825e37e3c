using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>
/// Gathers reads of small blobs from concurrent lookups into BatchReadBlobs calls: a read is sent at once while
/// fewer than <see cref="MaxInFlight"/> batches are on their way, and the reads asked for meanwhile go together
/// in the next (up to 64 blobs, 1 MiB), so batching never adds a wait of its own.
/// </summary>
/// <remarks>
/// A hit's outputs, and a prefetch's, are mostly dep-info files and small metadata: one stream each would cost
/// the upstream a call, headers and trailers per blob.
/// </remarks>
internal sealed class UpstreamBlobBatcher(Func<NamespaceId, IReadOnlyList<ContentDigest>, Task<BatchReadBlobsResponse>> send)
{
    /// <summary>Blobs up to this size are read in batches; larger ones stream.</summary>
    public const long MaxBlobSize = 256 << 10;

    public const int MaxInFlight = 4;

    // Small enough that the upstream, which reads a batch's items one after another, answers well within the deadline.
    private const int MaxItems = 64;

    private const long MaxBatchBytes = 1 << 20;

    private readonly Lock _gate = new();
    private readonly LinkedList<Read> _waiting = new();
    private int _inFlight;

    /// <summary>The blob's bytes, or that the upstream does not hold it; neither when it answered the item otherwise (the caller then streams it).</summary>
    public Task<BatchedRead> ReadAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digest.Size, MaxBlobSize);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BatchedRead>(cancellationToken);
        }
        var read = new Read(ns, digest, new TaskCompletionSource<BatchedRead>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool send;
        lock (_gate)
        {
            _waiting.AddLast(read);
            send = _inFlight < MaxInFlight;
            if (send)
            {
                _inFlight++;
            }
        }
        if (send)
        {
            // The sender serves every caller's reads, so it does not carry this caller's context (its trace).
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(SendUntilDrainedAsync);
            }
        }
        return read.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task SendUntilDrainedAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var response = await send(batch[0].Namespace, batch.Select(r => r.Digest).ToList()).ConfigureAwait(false);
                Answer(batch, response);
            }
            catch (Exception)
            {
                // Each read is then streamed on its own: one failed batch is not a failure of every lookup in it,
                // which would open the tier's breaker at once.
                foreach (var read in batch)
                {
                    read.Done.TrySetResult(default);
                }
            }
        }
    }

    /// <summary>The oldest waiting read and others of its namespace, within a batch's bytes; null (and one sender fewer) when none wait.</summary>
    private List<Read>? TakeBatch()
    {
        lock (_gate)
        {
            if (_waiting.First is not { } node)
            {
                _inFlight--;
                return null;
            }
            var batch = new List<Read>();
            var ns = node.Value.Namespace;
            var bytes = 0L;
            while (node is not null && batch.Count < MaxItems)
            {
                var next = node.Next;
                if (node.Value.Namespace.Name == ns.Name && (batch.Count == 0 || bytes + node.Value.Digest.Size <= MaxBatchBytes))
                {
                    bytes += node.Value.Digest.Size;
                    batch.Add(node.Value);
                    _waiting.Remove(node);
                }
                node = next;
            }
            return batch;
        }
    }

    private static void Answer(List<Read> batch, BatchReadBlobsResponse response)
    {
        var answered = new Dictionary<ContentDigest, BatchReadBlobsResponse.Types.Item>();
        foreach (var item in response.Items)
        {
            if (ContentDigest.TryParse(item.Digest, out var digest, out _))
            {
                answered.TryAdd(digest, item);
            }
        }
        foreach (var read in batch)
        {
            read.Done.TrySetResult(!answered.TryGetValue(read.Digest, out var item) ? default
                : item.Status?.Code == (int)StatusCode.NotFound ? new BatchedRead(null, Missing: true)
                : item.Status?.Code == (int)StatusCode.OK && item.Data.Length == read.Digest.Size ? new BatchedRead(BlobChunk.Unpooled(item.Data.Memory), Missing: false)
                : default);
        }
    }

    private sealed record Read(NamespaceId Namespace, ContentDigest Digest, TaskCompletionSource<BatchedRead> Done);
}

/// <summary>One blob's answer in a batch: its bytes, or that the upstream does not hold it; neither when it must be streamed.</summary>
internal readonly record struct BatchedRead(BlobChunk? Bytes, bool Missing);
