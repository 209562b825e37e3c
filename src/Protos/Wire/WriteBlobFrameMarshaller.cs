using System.Buffers;
using System.Text;
using CacheFarm.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Protos.Wire;

/// <summary>
/// Marshals <c>WriteBlobRequest</c> to and from <see cref="WriteBlobFrame"/> with pooled data buffers;
/// wire-compatible with the generated message.
/// </summary>
public static class WriteBlobFrameMarshaller
{
    private const int NamespaceField = 1;
    private const int DigestField = 2;
    private const int DataField = 3;

    public static Marshaller<WriteBlobFrame> Instance { get; } = new(Serialize, Deserialize);

    private static void Serialize(WriteBlobFrame frame, SerializationContext context)
    {
        using (frame)
        {
            var nsLength = string.IsNullOrEmpty(frame.Namespace) ? 0 : Encoding.UTF8.GetByteCount(frame.Namespace);
            var digestLength = frame.Digest?.CalculateSize() ?? 0;
            var dataLength = frame.Data.Length;
            var total = (nsLength > 0 ? ProtoWire.LengthDelimitedSize(NamespaceField, nsLength) : 0)
                + (frame.Digest is not null ? ProtoWire.LengthDelimitedSize(DigestField, digestLength) : 0)
                + (dataLength > 0 ? ProtoWire.LengthDelimitedSize(DataField, dataLength) : 0);
            if (total == 0)
            {
                context.Complete(Array.Empty<byte>());
                return;
            }
            context.SetPayloadLength(total);
            var writer = context.GetBufferWriter();
            var span = writer.GetSpan(total);
            var at = 0;
            if (nsLength > 0)
            {
                at += ProtoWire.WriteLengthDelimitedHeader(span[at..], NamespaceField, nsLength);
                at += Encoding.UTF8.GetBytes(frame.Namespace, span[at..]);
            }
            if (frame.Digest is not null)
            {
                at += ProtoWire.WriteLengthDelimitedHeader(span[at..], DigestField, digestLength);
                frame.Digest.WriteTo(span.Slice(at, digestLength));
                at += digestLength;
            }
            if (dataLength > 0)
            {
                at += ProtoWire.WriteLengthDelimitedHeader(span[at..], DataField, dataLength);
                frame.Data.Data.Span.CopyTo(span[at..]);
                at += dataLength;
            }
            writer.Advance(at);
            context.Complete();
        }
    }

    private static WriteBlobFrame Deserialize(DeserializationContext context)
    {
        var reader = new SequenceReader<byte>(context.PayloadAsReadOnlySequence());
        string? ns = null;
        Digest? digest = null;
        var data = BlobChunk.Empty;
        while (!reader.End)
        {
            if (!ProtoWire.TryReadVarint(ref reader, out var tag))
            {
                throw Malformed(data);
            }
            var field = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            if (wireType == ProtoWire.WireTypeLengthDelimited && field is NamespaceField or DigestField)
            {
                if (!ProtoWire.TryReadSlice(ref reader, out var slice))
                {
                    throw Malformed(data);
                }
                if (field == NamespaceField)
                {
                    ns = Encoding.UTF8.GetString(slice);
                }
                else
                {
                    digest = ParseDigest(slice, data);
                }
            }
            else if (wireType == ProtoWire.WireTypeLengthDelimited && field == DataField)
            {
                data.Dispose();
                if (!ProtoWire.TryReadBytesField(ref reader, out data))
                {
                    throw Malformed(data);
                }
            }
            else if (!ProtoWire.TrySkipField(ref reader, wireType))
            {
                throw Malformed(data);
            }
        }
        return new WriteBlobFrame(ns, digest, data);
    }

    private static Digest ParseDigest(ReadOnlySequence<byte> slice, BlobChunk data)
    {
        try
        {
            return Digest.Parser.ParseFrom(slice);
        }
        catch (InvalidProtocolBufferException)
        {
            throw Malformed(data);
        }
    }

    private static RpcException Malformed(BlobChunk partial)
    {
        partial.Dispose();
        return new RpcException(new Status(StatusCode.InvalidArgument, "malformed WriteBlobRequest message"));
    }
}
