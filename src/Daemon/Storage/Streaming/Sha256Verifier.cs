using System.Security.Cryptography;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Streaming;

/// <summary>Hashes a blob's bytes as they stream in and checks them against the declared digest.</summary>
public sealed class Sha256Verifier : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ContentDigest _expected;

    public Sha256Verifier(ContentDigest expected) => _expected = expected;

    public long Received { get; private set; }

    /// <summary>Adds bytes; false (and nothing hashed) when they would run past the declared size.</summary>
    public bool TryAppend(ReadOnlySpan<byte> data)
    {
        if (Received + data.Length > _expected.Size)
        {
            return false;
        }
        _hash.AppendData(data);
        Received += data.Length;
        return true;
    }

    /// <summary>Checks size and hash; on mismatch <paramref name="error"/> says what differed.</summary>
    public bool TryVerify(out string error)
    {
        if (Received != _expected.Size)
        {
            error = $"size mismatch: digest declares {_expected.Size} bytes, received {Received}";
            return false;
        }
        Span<byte> actual = stackalloc byte[ContentDigest.HashBytes];
        _hash.GetHashAndReset(actual);
        if (!actual.SequenceEqual(_expected.Hash))
        {
            error = $"digest mismatch: declared {_expected.Hex}, content hashes to {Convert.ToHexStringLower(actual)}";
            return false;
        }
        error = string.Empty;
        return true;
    }

    public void Dispose() => _hash.Dispose();
}
