using CacheFarm.Protos.V1;

namespace CacheFarm.Protos.Wire;

/// <summary>A validated SHA-256 digest plus size: the identity of a blob.</summary>
public readonly struct ContentDigest : IEquatable<ContentDigest>
{
    public const int HashBytes = 32;

    private readonly byte[] _hash;

    private ContentDigest(byte[] hash, long size)
    {
        _hash = hash;
        Size = size;
    }

    /// <summary>Digest of the empty blob, which always exists.</summary>
    public static ContentDigest Empty { get; } = Of(ReadOnlySpan<byte>.Empty);

    public ReadOnlySpan<byte> Hash => _hash;

    public long Size { get; }

    public string Hex => Convert.ToHexStringLower(_hash);

    public bool IsEmptyBlob => Size == 0;

    public static ContentDigest FromHash(ReadOnlySpan<byte> hash, long size)
    {
        if (hash.Length != HashBytes)
        {
            throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(hash));
        }
        return new ContentDigest(hash.ToArray(), size);
    }

    public static ContentDigest Of(ReadOnlySpan<byte> data) => new(Sha256Accumulator.HashData(data), data.Length);

    /// <summary>Parses a wire digest; on failure <paramref name="error"/> names the bad field.</summary>
    public static bool TryParse(Digest? digest, out ContentDigest result, out string error, string field = "digest")
    {
        result = default;
        if (digest is null)
        {
            error = $"{field} is missing";
            return false;
        }
        if (!TryParseHex(digest.Hash, out var hash))
        {
            error = $"{field}.hash must be 64 lowercase hex characters (SHA-256), got '{Truncate(digest.Hash)}'";
            return false;
        }
        if (digest.SizeBytes < 0)
        {
            error = $"{field}.size_bytes must not be negative, got {digest.SizeBytes}";
            return false;
        }
        result = new ContentDigest(hash, digest.SizeBytes);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a 64-character lowercase hex SHA-256 (entry keys use the same form).</summary>
    public static bool TryParseHex(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is null || hex.Length != HashBytes * 2)
        {
            return false;
        }
        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }
        hash = Convert.FromHexString(hex);
        return true;
    }

    public Digest ToProto() => new() { Hash = Hex, SizeBytes = Size };

    public bool Equals(ContentDigest other) => Size == other.Size && Hash.SequenceEqual(other.Hash);

    public override bool Equals(object? obj) => obj is ContentDigest other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(_hash, 0);

    public static bool operator ==(ContentDigest left, ContentDigest right) => left.Equals(right);

    public static bool operator !=(ContentDigest left, ContentDigest right) => !left.Equals(right);

    public override string ToString() => $"{Hex}/{Size}";

    /// <summary>Reads <see cref="ToString"/>'s "hex/size" back.</summary>
    public static bool TryParseText(string text, out ContentDigest digest)
    {
        digest = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseHex(text[..slash], out var hash)
            || !long.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }
        digest = new ContentDigest(hash, size);
        return true;
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
