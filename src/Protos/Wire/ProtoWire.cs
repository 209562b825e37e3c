using System.Buffers;

namespace CacheFarm.Protos.Wire;

/// <summary>The few protobuf wire-format primitives the hand-written marshallers need.</summary>
public static class ProtoWire
{
    public const int WireTypeVarint = 0;
    public const int WireType64Bit = 1;
    public const int WireTypeLengthDelimited = 2;
    public const int WireType32Bit = 5;

    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int Tag(int field, int wireType) => (field << 3) | wireType;

    /// <summary>Size of a length-delimited field: tag, length prefix and payload.</summary>
    public static int LengthDelimitedSize(int field, int payloadLength) =>
        VarintSize((ulong)Tag(field, WireTypeLengthDelimited)) + VarintSize((ulong)payloadLength) + payloadLength;

    /// <summary>Writes tag and length prefix of a length-delimited field; returns bytes written.</summary>
    public static int WriteLengthDelimitedHeader(Span<byte> destination, int field, int payloadLength)
    {
        var n = WriteVarint(destination, (ulong)Tag(field, WireTypeLengthDelimited));
        return n + WriteVarint(destination[n..], (ulong)payloadLength);
    }

    public static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Skips a field of the given wire type; false when the payload is malformed.</summary>
    public static bool TrySkipField(ref SequenceReader<byte> reader, int wireType)
    {
        switch (wireType)
        {
            case WireTypeVarint:
                return TryReadVarint(ref reader, out _);
            case WireType64Bit:
                return TryAdvance(ref reader, 8);
            case WireType32Bit:
                return TryAdvance(ref reader, 4);
            case WireTypeLengthDelimited:
                return TryReadVarint(ref reader, out var length) && length <= int.MaxValue && TryAdvance(ref reader, (long)length);
            default:
                return false;
        }
    }

    private static bool TryAdvance(ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count)
        {
            return false;
        }
        reader.Advance(count);
        return true;
    }

    /// <summary>Reads a length-delimited payload into a pooled chunk.</summary>
    public static bool TryReadBytesField(ref SequenceReader<byte> reader, out BlobChunk chunk)
    {
        chunk = BlobChunk.Empty;
        if (!TryReadVarint(ref reader, out var length) || length > int.MaxValue || reader.Remaining < (long)length)
        {
            return false;
        }
        if (length == 0)
        {
            return true;
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        reader.TryCopyTo(rented.AsSpan(0, (int)length));
        reader.Advance((long)length);
        chunk = BlobChunk.FromRented(rented, (int)length);
        return true;
    }

    /// <summary>Reads a length-delimited payload as a sub-sequence, without copying.</summary>
    public static bool TryReadSlice(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> slice)
    {
        slice = default;
        if (!TryReadVarint(ref reader, out var length) || length > int.MaxValue || reader.Remaining < (long)length)
        {
            return false;
        }
        slice = reader.Sequence.Slice(reader.Position, (long)length);
        reader.Advance((long)length);
        return true;
    }
}
