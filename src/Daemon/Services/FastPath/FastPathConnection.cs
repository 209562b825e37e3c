using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>One fast-path connection over Kestrel's transport pipe: reads request frames, answers each before reading the next.</summary>
internal sealed class FastPathConnection(IDuplexPipe transport, FastPathDispatcher dispatcher)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var input = transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (FrameLength(buffer) is not { } frameLength || buffer.Length < frameLength)
            {
                if (result.IsCompleted)
                {
                    // The client hung up, between frames or (killed) inside one.
                    return;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            var frame = buffer.Slice(0, frameLength);
            // The frame's bytes stay valid until AdvanceTo, so a single-segment payload is dispatched without a copy.
            await AnswerAsync(frame, cancellationToken).ConfigureAwait(false);
            input.AdvanceTo(frame.End);
        }
    }

    /// <summary>Length of the frame at the start of <paramref name="buffer"/>, header included, or null until its header has arrived.</summary>
    private static long? FrameLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadLittleEndian(out int signed))
        {
            return null;
        }
        var length = (uint)signed;
        if (length < 1 || length > FastPathProtocol.MaxFrameBytes)
        {
            throw new InvalidDataException($"fast-path frame of {length} bytes");
        }
        return FastPathProtocol.HeaderBytes + length - 1;
    }

    private async Task AnswerAsync(ReadOnlySequence<byte> frame, CancellationToken cancellationToken)
    {
        var op = (FastPathOp)frame.Slice(FastPathProtocol.HeaderBytes - 1, 1).FirstSpan[0];
        var payload = frame.Slice(FastPathProtocol.HeaderBytes);
        byte[]? copy = null;
        try
        {
            ReadOnlyMemory<byte> body;
            if (payload.IsSingleSegment)
            {
                body = payload.First;
            }
            else
            {
                copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
                payload.CopyTo(copy);
                body = copy.AsMemory(0, (int)payload.Length);
            }
            var (status, response) = await dispatcher.DispatchAsync(op, body, cancellationToken).ConfigureAwait(false);
            var output = transport.Output;
            var header = output.GetSpan(FastPathProtocol.HeaderBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(response.Length + 1));
            header[FastPathProtocol.HeaderBytes - 1] = (byte)status;
            output.Advance(FastPathProtocol.HeaderBytes);
            await output.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }
}
