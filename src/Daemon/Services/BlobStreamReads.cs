using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services;

/// <summary>Receives one streamed blob read: its length once the blob is found, then its chunks in order.</summary>
public interface IBlobStreamSink
{
    ValueTask StartAsync(long length, CancellationToken cancellationToken);

    /// <summary>Sends one chunk; the sink owns it from here and disposes it.</summary>
    ValueTask WriteAsync(BlobChunk chunk, CancellationToken cancellationToken);
}

/// <summary>A blob broke after some of its bytes were sent; the client must discard what it got.</summary>
public sealed class BlobDataLostException(string message) : Exception(message);

/// <summary>Streams a range of one blob for every front door that streams (gRPC ReadBlob, bulk reads): checks the range and counts the read and its bytes.</summary>
public sealed class BlobStreamReads(ICacheStore store, RequestCounters counters, CacheMetrics metrics)
{
    /// <exception cref="RequestRefusedException">The range is wrong, or the blob is not stored (known before any byte is sent).</exception>
    /// <exception cref="BlobDataLostException">The blob broke after its first bytes were sent.</exception>
    public async Task StreamAsync(NamespaceId ns, ReadBlobRequest request, IBlobStreamSink sink, CancellationToken cancellationToken)
    {
        var digest = RequestArguments.Digest(request.Digest);
        if (request.Offset < 0 || request.Limit < 0)
        {
            throw RequestArguments.Invalid("offset and limit must not be negative");
        }
        if (request.Offset > digest.Size)
        {
            throw new RequestRefusedException(Refusal.OutOfRange, $"offset {request.Offset} is past the end of a {digest.Size}-byte blob");
        }
        Interlocked.Increment(ref counters[RequestCounter.BlobReads]);
        using var reader = await store.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        metrics.RecordLookup("blob", ns, reader is not null);
        if (reader is null)
        {
            throw RequestRefusedException.BlobNotFound(digest);
        }
        var length = request.Limit == 0 ? digest.Size - request.Offset : Math.Min(request.Limit, digest.Size - request.Offset);
        var started = false;
        var sent = 0L;
        await using var chunks = reader.ReadAsync(request.Offset, length, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                if (!started)
                {
                    // Started at the first chunk, so that a blob lost before it is still an ordinary miss.
                    await sink.StartAsync(length, cancellationToken).ConfigureAwait(false);
                    started = true;
                }
                var size = chunks.Current.Length;
                await sink.WriteAsync(chunks.Current, cancellationToken).ConfigureAwait(false);
                sent += size;
            }
        }
        catch (BlobUnavailableException e)
        {
            if (!started)
            {
                throw RequestRefusedException.BlobNotFound(digest);
            }
            throw new BlobDataLostException(e.Message);
        }
        if (!started)
        {
            await sink.StartAsync(length, cancellationToken).ConfigureAwait(false);
        }
        Interlocked.Increment(ref counters[RequestCounter.BlobReadHits]);
        Interlocked.Add(ref counters[RequestCounter.BytesRead], sent);
    }
}
