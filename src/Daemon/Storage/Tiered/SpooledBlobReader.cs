using System.Buffers;
using System.Runtime.CompilerServices;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Serves a verified remote blob too large for memory and the local tier from its spool file, deleting the file after.</summary>
/// <remarks>Read once, like <see cref="MemoryBlobReader"/>.</remarks>
internal sealed class SpooledBlobReader(string path, long size) : IBlobReader
{
    private const int ChunkBytes = 1 << 20;
    private string? _path = path;

    public long Size => size;

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Interlocked.Exchange(ref _path, null) ?? throw new BlobUnavailableException("a spooled blob's reader was read twice");
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Position = offset;
            var remaining = BlobRange.End(size, offset, length) - offset;
            while (remaining > 0)
            {
                var take = (int)Math.Min(ChunkBytes, remaining);
                var buffer = ArrayPool<byte>.Shared.Rent(take);
                try
                {
                    await stream.ReadExactlyAsync(buffer.AsMemory(0, take), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                remaining -= take;
                yield return BlobChunk.FromRented(buffer, take);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _path, null) is { } unread)
        {
            File.Delete(unread);
        }
    }
}
