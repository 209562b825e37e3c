using System.Net;
using System.Net.Sockets;

namespace CacheFarm.TestSupport;

/// <summary>
/// Hands out free loopback TCP ports below the kernel's ephemeral range (32768 and up by default), each once
/// per test process. A port from bind(0) is an ephemeral one: an outgoing connection of a parallel test could
/// take it between this check and the server's own bind, which failed a daemon with "address already in use".
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> Given = [];

    public static int Next() => Next(companionOffset: 0);

    /// <summary>
    /// A free port whose companion, <paramref name="companionOffset"/> above it, is free and below the ephemeral
    /// range too: a Redis Cluster node also binds its bus port, 10000 above its own.
    /// </summary>
    public static int Next(int companionOffset)
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last - companionOffset);
                var companion = port + companionOffset;
                if (Given.Contains(port) || Given.Contains(companion) || !IsFree(port) || (companionOffset > 0 && !IsFree(companion)))
                {
                    continue;
                }
                Given.Add(port);
                Given.Add(companion);
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last - companionOffset} with one {companionOffset} above it");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
