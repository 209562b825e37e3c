using System.Runtime.CompilerServices;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>Streams a blob from the upstream daemon: the open waits for the first chunk (so a miss is known there), the rest arrives as it is read.</summary>
/// <remarks>
/// The stream opened with the reader serves a read of the whole blob, the usual read; any other range
/// is asked for on its own, so the upstream sends exactly the bytes wanted.
/// </remarks>
internal sealed class UpstreamBlobReader(UpstreamTier tier, NamespaceId ns, ContentDigest digest, AsyncServerStreamingCall<BlobChunk> opened, BlobChunk? first) : IBlobReader
{
    private AsyncServerStreamingCall<BlobChunk>? _opened = opened;
    private BlobChunk? _first = first;

    public long Size => digest.Size;

    /// <summary>Starts the read of the whole blob and waits for its first chunk; null when the upstream does not hold it.</summary>
    public static async Task<UpstreamBlobReader?> OpenAsync(UpstreamTier tier, NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var call = tier.StartRead(ns, digest, 0, 0);
        try
        {
            var first = await tier.NextChunkAsync(call, cancellationToken).ConfigureAwait(false);
            return new UpstreamBlobReader(tier, ns, digest, call, first);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            call.Dispose();
            return null;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = BlobRange.End(Size, offset, length);
        if (end <= offset)
        {
            yield break;
        }
        var call = Interlocked.Exchange(ref _opened, null);
        var held = Interlocked.Exchange(ref _first, null);
        if (call is null || offset != 0 || end != Size)
        {
            call?.Dispose();
            held?.Dispose();
            held = null;
            call = tier.StartRead(ns, digest, offset, end - offset);
        }
        using (call)
        {
            var position = offset;
            var chunk = held ?? await tier.NextChunkAsync(call, cancellationToken).ConfigureAwait(false);
            while (position < end)
            {
                if (chunk is null)
                {
                    throw new IOException($"upstream blob {digest} ended after {position} of {end} bytes");
                }
                if (chunk.Length > end - position)
                {
                    chunk.Dispose();
                    throw new IOException($"upstream blob {digest} sent more than the {end - offset} bytes asked for");
                }
                position += chunk.Length;
                yield return chunk;
                chunk = position < end ? await tier.NextChunkAsync(call, cancellationToken).ConfigureAwait(false) : null;
            }
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _opened, null)?.Dispose();
        Interlocked.Exchange(ref _first, null)?.Dispose();
    }
}
