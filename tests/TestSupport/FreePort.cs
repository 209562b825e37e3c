using System.Net;
using System.Net.Sockets;

namespace CacheFarm.TestSupport;

/// <summary>Hands out free loopback TCP ports.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
