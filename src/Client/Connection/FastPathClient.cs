using System.Buffers.Binary;
using System.Net.Sockets;
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
    private Socket? _socket;

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

    /// <summary>Sends one request and returns the status and body of the answer.</summary>
    /// <exception cref="IOException">The connection failed or the deadline passed.</exception>
    public (StatusCode Status, byte[] Body) Call(FastPathOp op, IMessage request, CancellationToken cancellationToken)
    {
        var socket = _socket ??= Connect();
        // Closing the socket is the only way to cut a blocking receive short.
        using var abort = cancellationToken.Register(() => socket.Dispose());
        try
        {
            var size = request.CalculateSize();
            var frame = new byte[FastPathProtocol.HeaderBytes + size];
            BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(size + 1));
            frame[4] = (byte)op;
            request.WriteTo(frame.AsSpan(FastPathProtocol.HeaderBytes));
            SendAll(socket, frame);
            var header = new byte[FastPathProtocol.HeaderBytes];
            ReceiveAll(socket, header);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length < 1 || length > FastPathProtocol.MaxFrameBytes)
            {
                throw new IOException($"fast path answered a frame of {length} bytes");
            }
            var body = new byte[length - 1];
            ReceiveAll(socket, body);
            return ((StatusCode)header[4], body);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _socket = null;
            socket.Dispose();
            throw new IOException(cancellationToken.IsCancellationRequested ? "fast path timed out" : "fast path failed: " + e.Message, e);
        }
    }

    /// <summary>Parses an OK answer, or throws the daemon's status as an <see cref="RpcException"/>.</summary>
    public static T Parse<T>((StatusCode Status, byte[] Body) answer, MessageParser<T> parser)
        where T : IMessage<T> =>
        answer.Status == StatusCode.OK
            ? parser.ParseFrom(answer.Body)
            : throw new RpcException(new Status(answer.Status, Encoding.UTF8.GetString(answer.Body)));

    private Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException("fast path unavailable: " + e.Message, e);
        }
    }

    private static void SendAll(Socket socket, byte[] data)
    {
        for (var sent = 0; sent < data.Length;)
        {
            sent += socket.Send(data, sent, data.Length - sent, SocketFlags.None);
        }
    }

    private static void ReceiveAll(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            if (n == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
            read += n;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
