using System.Runtime.CompilerServices;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Serves a verified remote blob held in memory, in chunks that share its buffer.</summary>
/// <remarks>Read once: the reader lets go of the buffer when its read ends, as the services do with every reader.</remarks>
internal sealed class MemoryBlobReader(SharedBlobBuffer buffer) : IBlobReader
{
    private const int ChunkBytes = 1 << 20;
    private SharedBlobBuffer? _buffer = buffer;

    public long Size { get; } = buffer.Length;

#pragma warning disable CS1998 // Everything is in memory already.
    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var held = Interlocked.Exchange(ref _buffer, null) ?? throw new BlobUnavailableException("a remote blob's reader was read twice");
        try
        {
            var end = BlobRange.End(Size, offset, length);
            for (var at = offset; at < end; at += ChunkBytes)
            {
                var take = (int)Math.Min(ChunkBytes, end - at);
                yield return BlobChunk.FromOwner(held.Share(), (int)at, take);
            }
        }
        finally
        {
            held.Release();
        }
    }
#pragma warning restore CS1998

    public void Dispose() => Interlocked.Exchange(ref _buffer, null)?.Release();
}
