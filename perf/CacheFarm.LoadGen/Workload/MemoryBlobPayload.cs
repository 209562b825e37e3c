using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Workload;

/// <summary>A blob held in a caller-owned buffer, e.g. a fresh 1 MiB blob generated just before its write.</summary>
internal sealed class MemoryBlobPayload : IBlobPayload
{
    private readonly ReadOnlyMemory<byte> _data;

    private MemoryBlobPayload(ReadOnlyMemory<byte> data)
    {
        _data = data;
        Digest = ContentDigest.Of(data.Span);
    }

    public ContentDigest Digest { get; }

    /// <summary>Fills <paramref name="buffer"/> with fresh content for <paramref name="seed"/> and hashes it.</summary>
    public static MemoryBlobPayload Generate(byte[] buffer, ulong seed)
    {
        SplitMixContent.Fill(seed, 0, buffer);
        return new MemoryBlobPayload(buffer);
    }

    public void CopyTo(long offset, Span<byte> destination) =>
        _data.Span.Slice(checked((int)offset), destination.Length).CopyTo(destination);

    public bool TryGetMemory(out ReadOnlyMemory<byte> memory)
    {
        memory = _data;
        return true;
    }
}
