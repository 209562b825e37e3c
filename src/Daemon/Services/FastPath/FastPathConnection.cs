using System.Buffers;
using System.Buffers.Binary;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>One fast-path connection: reads request frames, answers each before reading the next.</summary>
internal sealed class FastPathConnection(Stream stream, FastPathDispatcher dispatcher)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var header = new byte[FastPathProtocol.HeaderBytes];
        while (true)
        {
            try
            {
                await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return;
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length < 1 || length > FastPathProtocol.MaxFrameBytes)
            {
                throw new InvalidDataException($"fast-path frame of {length} bytes");
            }
            var payloadLength = (int)length - 1;
            var payload = ArrayPool<byte>.Shared.Rent(Math.Max(1, payloadLength));
            try
            {
                await stream.ReadExactlyAsync(payload.AsMemory(0, payloadLength), cancellationToken).ConfigureAwait(false);
                var (status, body) = await dispatcher.DispatchAsync((FastPathOp)header[4], payload.AsMemory(0, payloadLength), cancellationToken).ConfigureAwait(false);
                var response = new byte[FastPathProtocol.HeaderBytes + body.Length];
                BinaryPrimitives.WriteUInt32LittleEndian(response, (uint)(body.Length + 1));
                response[4] = (byte)status;
                body.CopyTo(response, FastPathProtocol.HeaderBytes);
                await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }
        }
    }
}
