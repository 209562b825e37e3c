using System.Buffers.Binary;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>The record written after all of a blob's chunks: its length and where its oldest chunk lies.</summary>
/// <remarks>
/// The manifest is written last, so a reader never sees a partial blob. Chunks are older than their
/// manifest and so are evicted first; <see cref="OldestChunkAddress"/> lets a presence check notice that
/// without reading a chunk.
/// </remarks>
internal readonly record struct BlobManifest(long Size, int ChunkCount, int ChunkPayload, long OldestChunkAddress)
{
    public const int Length = 24;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, Size);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], ChunkCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], ChunkPayload);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], OldestChunkAddress);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out BlobManifest manifest)
    {
        manifest = default;
        if (payload.Length != Length)
        {
            return false;
        }
        manifest = new BlobManifest(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadInt32LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[12..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]));
        return manifest.Size >= 0 && manifest.ChunkCount >= 0 && manifest.ChunkPayload > 0;
    }
}
