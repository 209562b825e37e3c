using System.Net;
using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Hosting;

namespace CacheFarm.Daemon.Security;

/// <summary>Refuses to serve an unauthenticated cache beyond this machine unless told to explicitly.</summary>
/// <remarks>Anyone who can write entries can run code on every machine that gets a hit.</remarks>
internal static class ExposurePolicy
{
    public static void Check(DaemonSettings settings, TokenTable? tokens)
    {
        if (settings.Listen is not { } listen || tokens is not null || settings.AllowUnauthenticated)
        {
            return;
        }
        var endpoint = ListenerSetup.ParseEndpoint(listen);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new SettingsException(
                $"refusing to listen on {listen} without authentication: set tokens_file, or allow_unauthenticated = true if the network is trusted");
        }
    }
}
