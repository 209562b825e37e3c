using System.Buffers.Binary;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>The fixed-width key of a record in the FASTER log: kind, namespace, digest, chunk index.</summary>
internal static class RecordKey
{
    public const int Length = 1 + NamespaceId.IdBytes + ContentDigest.HashBytes + 4;

    public const byte BlobChunk = (byte)'C';
    public const byte BlobManifest = (byte)'M';
    public const byte Entry = (byte)'E';

    public static void Write(Span<byte> destination, byte kind, NamespaceId ns, ReadOnlySpan<byte> hash, uint index)
    {
        destination[0] = kind;
        ns.Id.CopyTo(destination[1..]);
        hash.CopyTo(destination[(1 + NamespaceId.IdBytes)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(Length - 4)..], index);
    }

    public static byte[] Create(byte kind, NamespaceId ns, ReadOnlySpan<byte> hash, uint index = 0)
    {
        var key = new byte[Length];
        Write(key, kind, ns, hash, index);
        return key;
    }
}
