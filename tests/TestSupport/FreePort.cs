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

    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
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
