using System.Runtime.CompilerServices;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>Streams a blob from the upstream's bulk-read listener: the open already holds a connection with the whole blob on its way, which serves a whole read; any other range is asked for on its own.</summary>
internal sealed class UpstreamBulkBlobReader(UpstreamBulkReads reads, NamespaceId ns, ContentDigest digest, BulkReadClient opened) : IBlobReader
{
    private BulkReadClient? _opened = opened;

    public long Size => digest.Size;

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = BlobRange.End(Size, offset, length);
        if (end <= offset)
        {
            yield break;
        }
        var client = Interlocked.Exchange(ref _opened, null);
        if (client is null || offset != 0 || end != Size)
        {
            if (client is not null)
            {
                reads.Discard(client);
            }
            var request = new ReadBlobRequest { Namespace = ns.Name, Digest = digest.ToProto(), Offset = offset, Limit = end - offset };
            client = await reads.StartAsync(request, cancellationToken).ConfigureAwait(false)
                ?? throw new BlobUnavailableException($"upstream blob {digest} went away between its open and its read");
        }
        var left = end - offset;
        var done = false;
        try
        {
            while (await reads.NextChunkAsync(client, left, cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                left -= chunk.Length;
                yield return chunk;
            }
            done = true;
        }
        finally
        {
            // A read left part-way leaves bytes on the connection: it cannot serve another call.
            if (!done)
            {
                reads.Discard(client);
            }
        }
    }

    public void Dispose()
    {
        // An unread blob's bytes are still on their way: the connection cannot be reused.
        if (Interlocked.Exchange(ref _opened, null) is { } unread)
        {
            reads.Discard(unread);
        }
    }
}
