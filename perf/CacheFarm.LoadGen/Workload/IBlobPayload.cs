using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Workload;

/// <summary>A blob to upload: its digest and its bytes, produced piece by piece or available whole.</summary>
internal interface IBlobPayload
{
    ContentDigest Digest { get; }

    /// <summary>Copies the bytes at [offset, offset + destination.Length); offset is a multiple of 8.</summary>
    void CopyTo(long offset, Span<byte> destination);

    /// <summary>The whole blob when it is already in memory, so senders can skip a copy.</summary>
    bool TryGetMemory(out ReadOnlyMemory<byte> memory);
}
