using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>How an entry is stored remotely: a magic, the SHA-256 of the serialized entry, then the entry.</summary>
/// <remarks>
/// Entries are not content-addressed, so without a checksum a damaged remote copy could still parse
/// and restore wrong outputs; the magic also keeps foreign values under the same key from parsing.
/// </remarks>
internal static class EntryEnvelope
{
    private const uint Magic = 0x43464531; // "CFE1"
    private const int HeaderLength = 4 + SHA256.HashSizeInBytes;

    public static byte[] Wrap(ReadOnlySpan<byte> payload)
    {
        var envelope = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(envelope, Magic);
        SHA256.HashData(payload, envelope.AsSpan(4, SHA256.HashSizeInBytes));
        payload.CopyTo(envelope.AsSpan(HeaderLength));
        return envelope;
    }

    /// <summary>The payload, or false when the envelope is foreign or damaged.</summary>
    public static bool TryUnwrap(ReadOnlyMemory<byte> envelope, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        var span = envelope.Span;
        if (span.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(span) != Magic)
        {
            return false;
        }
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(span[HeaderLength..], actual);
        if (!actual.SequenceEqual(span.Slice(4, SHA256.HashSizeInBytes)))
        {
            return false;
        }
        payload = envelope[HeaderLength..];
        return true;
    }
}
