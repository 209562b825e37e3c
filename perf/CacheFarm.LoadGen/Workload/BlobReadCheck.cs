using System.Security.Cryptography;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Workload;

/// <summary>Checks a blob read as it streams in: always its length, its SHA-256 only when asked to.</summary>
/// <remarks>One per virtual user and reused, so checking costs no allocation per read.</remarks>
internal sealed class BlobReadCheck : IDisposable
{
    private readonly IncrementalHash? _hash;
    private long _expected;

    public BlobReadCheck(bool verifyHash)
    {
        _hash = verifyHash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public long Length { get; private set; }

    public void Begin(ContentDigest expected)
    {
        _expected = expected.Size;
        Length = 0;
        // A read that failed half-way leaves bytes in the hash; discard them.
        _hash?.GetHashAndReset(stackalloc byte[ContentDigest.HashBytes]);
    }

    /// <summary>Counts and hashes a received piece; throws as soon as the blob runs past its expected size.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        if (Length > _expected)
        {
            throw new BlobMismatchException($"received more than the expected {_expected} bytes");
        }
        _hash?.AppendData(data);
    }

    public void EnsureMatches(ContentDigest expected)
    {
        if (Length != expected.Size)
        {
            throw new BlobMismatchException($"read {Length} bytes of a {expected.Size}-byte blob {expected.Hex}");
        }
        if (_hash is null)
        {
            return;
        }
        Span<byte> actual = stackalloc byte[ContentDigest.HashBytes];
        _hash.GetHashAndReset(actual);
        if (!actual.SequenceEqual(expected.Hash))
        {
            throw new BlobMismatchException($"blob {expected.Hex} came back with SHA-256 {Convert.ToHexStringLower(actual)}");
        }
    }

    public void Dispose() => _hash?.Dispose();
}
