using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Writes the answer to one request frame (its op byte and its payload, valid only during the call) into the output; the loop sends it. False closes the connection.</summary>
internal delegate Task<bool> FastPathAnswer(byte op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

/// <summary>The fast path's frame layout (<see cref="FastPathProtocol"/>) and request loop, shared by the local socket and the bulk-read listener.</summary>
internal static class FastPathFrames
{
    /// <summary>
    /// Reads request frames and answers them in order, until the client hangs up or an answer says to close. Every
    /// whole frame that arrived together is answered before the answers are sent, so a client that sends several
    /// requests at once costs one send, not one per request.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame is empty or larger than <paramref name="maxBytes"/>.</exception>
    public static async Task ServeAsync(IDuplexPipe transport, int maxBytes, FastPathAnswer answer, CancellationToken cancellationToken)
    {
        var input = transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var answered = false;
            var carryOn = true;
            while (carryOn && RequestLength(buffer, maxBytes) is { } frameLength && buffer.Length >= frameLength)
            {
                // The frame's bytes stay valid until AdvanceTo, so a single-segment payload is answered without a copy.
                carryOn = await AnswerAsync(buffer.Slice(0, frameLength), answer, cancellationToken).ConfigureAwait(false);
                buffer = buffer.Slice(frameLength);
                answered = true;
            }
            if (answered)
            {
                await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            if (!carryOn || (result.IsCompleted && !answered))
            {
                // Closing, or the client hung up (between frames, or killed inside one).
                return;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes an answer's header; <paramref name="bodyLength"/> bytes of body must follow.</summary>
    public static void WriteAnswerHeader(PipeWriter output, long bodyLength, StatusCode status)
    {
        var header = output.GetSpan(FastPathProtocol.HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, checked((uint)(bodyLength + 1)));
        header[FastPathProtocol.HeaderBytes - 1] = (byte)status;
        output.Advance(FastPathProtocol.HeaderBytes);
    }

    /// <summary>Writes a whole answer; the request loop sends it.</summary>
    public static void WriteAnswer(PipeWriter output, StatusCode status, ReadOnlySpan<byte> body)
    {
        WriteAnswerHeader(output, body.Length, status);
        output.Write(body);
    }

    private static long? RequestLength(ReadOnlySequence<byte> buffer, int maxBytes)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadLittleEndian(out int signed))
        {
            return null;
        }
        var length = (uint)signed;
        if (length < 1 || length > maxBytes)
        {
            throw new InvalidDataException($"fast-path frame of {length} bytes");
        }
        return FastPathProtocol.HeaderBytes + length - 1;
    }

    private static async Task<bool> AnswerAsync(ReadOnlySequence<byte> frame, FastPathAnswer answer, CancellationToken cancellationToken)
    {
        var op = frame.Slice(FastPathProtocol.HeaderBytes - 1, 1).FirstSpan[0];
        var payload = frame.Slice(FastPathProtocol.HeaderBytes);
        if (payload.IsSingleSegment)
        {
            return await answer(op, payload.First, cancellationToken).ConfigureAwait(false);
        }
        var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(copy);
            return await answer(op, copy.AsMemory(0, (int)payload.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
