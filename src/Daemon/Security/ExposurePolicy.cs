using System.Net;
using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Hosting;

namespace CacheFarm.Daemon.Security;

/// <summary>Refuses to serve an unauthenticated cache beyond this machine unless told to explicitly.</summary>
/// <remarks>Anyone who can write entries can run code on every machine that gets a hit, and anyone who can read gets the build's outputs.</remarks>
internal static class ExposurePolicy
{
    public static void Check(DaemonSettings settings, TokenTable? tokens)
    {
        if (tokens is not null || settings.AllowUnauthenticated)
        {
            return;
        }
        foreach (var listen in new[] { settings.Listen, settings.BulkListen })
        {
            if (listen is not null && !IPAddress.IsLoopback(ListenerSetup.ParseEndpoint(listen).Address))
            {
                throw new SettingsException(
                    $"refusing to listen on {listen} without authentication: set tokens_file, or allow_unauthenticated = true if the network is trusted");
            }
        }
    }
}
