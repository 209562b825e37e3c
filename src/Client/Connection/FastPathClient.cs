using System.Buffers.Binary;
using System.Text;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Client.Connection;

/// <summary>
/// Blocking calls over the daemon's fast-path socket (<see cref="FastPathProtocol"/>): no HTTP/2 client to
/// bring up and no thread pool, which is most of what a cache hit used to cost a short-lived wrapper.
/// </summary>
public sealed class FastPathClient : IDisposable
{
    private readonly string _socketPath;
    private BlockingUnixSocket? _socket;

    private FastPathClient(string socketPath) => _socketPath = socketPath;

    /// <summary>A client for a local daemon that offers the fast path, or null (remote daemon, tokens in use, no socket).</summary>
    public static FastPathClient? For(DaemonEndpoint endpoint, ClientCredentials credentials)
    {
        if (endpoint.SocketPath is not { } socket || credentials.Token is not null || Environment.GetEnvironmentVariable("CACHEFARM_FAST_PATH") == "0")
        {
            return null;
        }
        var fast = FastPathProtocol.SocketFor(socket);
        return File.Exists(fast) ? new FastPathClient(fast) : null;
    }

    /// <summary>Sends one request and returns the status and body of the answer, waiting no longer than <see cref="CallDeadline"/>.</summary>
    /// <exception cref="IOException">The connection failed.</exception>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    public (StatusCode Status, byte[] Body) Call(FastPathOp op, IMessage request, CancellationToken cancellationToken)
    {
        var socket = _socket ??= BlockingUnixSocket.Connect(_socketPath);
        try
        {
            // Disposed before the socket is: a cancellation must never shut down a descriptor number reused meanwhile.
            using (cancellationToken.Register(socket.Abort))
            {
                var size = request.CalculateSize();
                var frame = new byte[FastPathProtocol.HeaderBytes + size];
                BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(size + 1));
                frame[4] = (byte)op;
                request.WriteTo(frame.AsSpan(FastPathProtocol.HeaderBytes));
                socket.SendAll(frame);
                Span<byte> header = stackalloc byte[FastPathProtocol.HeaderBytes];
                socket.ReceiveAll(header);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
                if (length < 1 || length > FastPathProtocol.MaxFrameBytes)
                {
                    throw new IOException($"fast path answered a frame of {length} bytes");
                }
                var body = new byte[length - 1];
                socket.ReceiveAll(body);
                return ((StatusCode)header[4], body);
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // A connection left half way through a frame cannot carry the next call.
            _socket = null;
            socket.Dispose();
            if (cancellationToken.IsCancellationRequested)
            {
                throw new IOException("fast path call cancelled", e);
            }
            throw;
        }
    }

    /// <summary>Parses an OK answer, or throws the daemon's status as an <see cref="RpcException"/>.</summary>
    public static T Parse<T>((StatusCode Status, byte[] Body) answer, MessageParser<T> parser)
        where T : IMessage<T> =>
        answer.Status == StatusCode.OK
            ? parser.ParseFrom(answer.Body)
            : throw new RpcException(new Status(answer.Status, Encoding.UTF8.GetString(answer.Body)));

    public void Dispose() => _socket?.Dispose();
}
