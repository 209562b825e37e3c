using System.Net;
using System.Net.Sockets;

namespace CacheFarm.LinkShaper;

/// <summary>A loopback TCP proxy in front of one target that shapes every connection through it with a <see cref="LinkShape"/>.</summary>
public sealed class LinkShapingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly LinkShape _shape;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _connections;

    private LinkShapingProxy(Socket listener, IPEndPoint target, LinkShape shape)
    {
        _listener = listener;
        _target = target;
        _shape = shape;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to instead of the target's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Connections accepted since start.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Listens on 127.0.0.1 (<paramref name="port"/> 0 picks a free one) and forwards to <paramref name="target"/>.</summary>
    public static LinkShapingProxy Start(IPEndPoint target, LinkShape shape, int port = 0)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new LinkShapingProxy(listener, target, shape);
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _connections);
                connections.Add(ServeAsync(client));
                connections.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            server.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The target is down: the client sees its connection closed, as it would through a real network.
                return;
            }
            await Task.WhenAll(
                new ShapedDirection(client, server, _shape).RunAsync(_stopping.Token),
                new ShapedDirection(server, client, _shape).RunAsync(_stopping.Token)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
