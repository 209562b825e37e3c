using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using CacheFarm.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Protos.Wire;

/// <summary>One connection to a daemon's bulk-read listener (<see cref="BulkReadProtocol"/>), authenticated once; one call at a time.</summary>
/// <remarks>Refusals surface as <see cref="RpcException"/>s with the daemon's status, so callers handle them as they do gRPC's.</remarks>
public sealed class BulkReadClient : IAsyncDisposable, IDisposable
{
    /// <summary>Largest answer other than a blob's bytes (BatchReadBlobs answers stay under 4 MiB).</summary>
    private const int MaxMessageAnswerBytes = 16 << 20;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[FastPathProtocol.HeaderBytes];
    // Answers are read through this buffer, so a header and a small body arrive in one receive, not two; a large
    // read that finds it empty goes straight into the caller's memory.
    private readonly byte[] _received = new byte[16 << 10];
    private int _receivedStart;
    private int _receivedEnd;
    // Bytes of the current ReadBlob answer not read yet; a connection is reusable only when this is zero.
    private long _bodyLeft;

    private BulkReadClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>True when no answer is half read, so the connection can serve the next call.</summary>
    public bool IsIdle => _bodyLeft == 0;

    /// <exception cref="IOException">The daemon cannot be reached or TLS failed.</exception>
    /// <exception cref="RpcException">The daemon refused the token.</exception>
    public static async Task<BulkReadClient> ConnectAsync(BulkReadEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (endpoint.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
            }
            var client = new BulkReadClient(socket, stream);
            if (endpoint.Token is { } token)
            {
                await client.SendTokenAsync(token, cancellationToken).ConfigureAwait(false);
                var (body, _) = await client.ReadMessageAnswerAsync(cancellationToken).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(body);
            }
            return client;
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            socket.Dispose();
            if (e is SocketException or System.Security.Authentication.AuthenticationException)
            {
                throw new IOException($"bulk reads at {endpoint.Host}:{endpoint.Port}: {e.Message}", e);
            }
            throw;
        }
    }

    /// <summary>A unary call: the request message out, the parsed answer back.</summary>
    public async Task<T> CallAsync<T>(BulkReadOp op, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        await SendAsync(op, request, cancellationToken).ConfigureAwait(false);
        var (body, length) = await ReadMessageAnswerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return parser.ParseFrom(body.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>Asks for a blob's range and returns its length; the bytes follow through <see cref="ReadAsync"/>.</summary>
    /// <exception cref="RpcException">The daemon refused (NotFound for a miss).</exception>
    public async Task<long> StartReadAsync(ReadBlobRequest request, CancellationToken cancellationToken)
    {
        await SendAsync(BulkReadOp.ReadBlob, request, cancellationToken).ConfigureAwait(false);
        var (status, length) = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        if (status != StatusCode.OK)
        {
            throw await RefusalAsync(status, length, cancellationToken).ConfigureAwait(false);
        }
        _bodyLeft = length;
        return length;
    }

    /// <summary>Reads the next bytes of the blob <see cref="StartReadAsync"/> opened into <paramref name="buffer"/>; 0 once it is all read.</summary>
    /// <exception cref="IOException">The connection ended before the blob did (the daemon found it broken mid-read).</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_bodyLeft == 0)
        {
            return 0;
        }
        var want = (int)Math.Min(buffer.Length, _bodyLeft);
        var read = await ReceiveAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"the bulk-read connection ended {_bodyLeft} bytes before the blob did");
        }
        _bodyLeft -= read;
        return read;
    }

    private async Task SendAsync(BulkReadOp op, IMessage request, CancellationToken cancellationToken)
    {
        var size = request.CalculateSize();
        var frame = ArrayPool<byte>.Shared.Rent(FastPathProtocol.HeaderBytes + size);
        try
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(size + 1));
            frame[FastPathProtocol.HeaderBytes - 1] = (byte)op;
            request.WriteTo(frame.AsSpan(FastPathProtocol.HeaderBytes, size));
            await SendFrameAsync(frame.AsMemory(0, FastPathProtocol.HeaderBytes + size), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async Task SendTokenAsync(string token, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(token);
        var frame = new byte[FastPathProtocol.HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(payload.Length + 1));
        frame[FastPathProtocol.HeaderBytes - 1] = (byte)BulkReadOp.Authenticate;
        payload.CopyTo(frame.AsSpan(FastPathProtocol.HeaderBytes));
        await SendFrameAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // An OK answer's body in a rented array (the caller returns it), or the refusal as an RpcException.
    private async Task<(byte[] Body, int Length)> ReadMessageAnswerAsync(CancellationToken cancellationToken)
    {
        var (status, length) = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        if (status != StatusCode.OK)
        {
            throw await RefusalAsync(status, length, cancellationToken).ConfigureAwait(false);
        }
        if (length > MaxMessageAnswerBytes)
        {
            throw new IOException($"the bulk-read listener answered {length} bytes");
        }
        var body = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
        await ReceiveExactlyAsync(body.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
        return (body, (int)length);
    }

    private async Task<(StatusCode Status, long BodyLength)> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await ReceiveExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        if (length < 1)
        {
            throw new IOException("the bulk-read listener answered an empty frame");
        }
        return ((StatusCode)_header[FastPathProtocol.HeaderBytes - 1], length - 1L);
    }

    private async Task<RpcException> RefusalAsync(StatusCode status, long length, CancellationToken cancellationToken)
    {
        if (length > MaxMessageAnswerBytes)
        {
            throw new IOException($"the bulk-read listener answered a {length}-byte refusal");
        }
        var text = new byte[length];
        await ReceiveExactlyAsync(text, cancellationToken).ConfigureAwait(false);
        return new RpcException(new Status(status, Encoding.UTF8.GetString(text)));
    }

    // Up to destination.Length bytes: buffered ones first, then from the connection; 0 at its end.
    private async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_receivedStart == _receivedEnd)
        {
            if (destination.Length >= _received.Length)
            {
                return await _stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }
            _receivedStart = 0;
            _receivedEnd = await _stream.ReadAsync(_received, cancellationToken).ConfigureAwait(false);
        }
        var count = Math.Min(destination.Length, _receivedEnd - _receivedStart);
        _received.AsSpan(_receivedStart, count).CopyTo(destination.Span);
        _receivedStart += count;
        return count;
    }

    private async ValueTask ReceiveExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var read = await ReceiveAsync(destination, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the bulk-read connection closed mid-answer");
            }
            destination = destination[read..];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
