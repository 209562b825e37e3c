using System.Buffers;
using System.Security.Cryptography;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Workload;

/// <summary>A blob that exists only as a seed and a length; its bytes are regenerated whenever they are needed.</summary>
internal sealed class GeneratedBlobPayload : IBlobPayload
{
    private const int HashStepBytes = 1024 * 1024;

    private readonly ulong _seed;

    private GeneratedBlobPayload(ulong seed, ContentDigest digest)
    {
        _seed = seed;
        Digest = digest;
    }

    public ContentDigest Digest { get; }

    /// <summary>Generates the content once to hash it, holding at most 1 MiB of it at a time.</summary>
    public static GeneratedBlobPayload Create(ulong seed, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, HashStepBytes));
        try
        {
            for (long offset = 0; offset < length; offset += HashStepBytes)
            {
                var piece = buffer.AsSpan(0, (int)Math.Min(HashStepBytes, length - offset));
                SplitMixContent.Fill(seed, offset, piece);
                hash.AppendData(piece);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new GeneratedBlobPayload(seed, ContentDigest.FromHash(hash.GetHashAndReset(), length));
    }

    public void CopyTo(long offset, Span<byte> destination) => SplitMixContent.Fill(_seed, offset, destination);

    public bool TryGetMemory(out ReadOnlyMemory<byte> memory)
    {
        memory = default;
        return false;
    }
}
