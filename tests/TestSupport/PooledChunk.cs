using System.Buffers;
using CacheFarm.Protos.Wire;

namespace CacheFarm.TestSupport;

/// <summary>Blob chunks that hand-written frames send, in pooled buffers as the real writers' chunks are.</summary>
public static class PooledChunk
{
    public static BlobChunk Of(ReadOnlySpan<byte> source)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, source.Length));
        source.CopyTo(rented);
        return BlobChunk.FromRented(rented, source.Length);
    }
}
