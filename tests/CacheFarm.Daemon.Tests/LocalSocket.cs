using CacheFarm.Client.Connection;

namespace CacheFarm.Daemon.Tests;

/// <summary>A daemon's Unix socket as a client on the same host, run by the same user, reaches it.</summary>
internal sealed record LocalSocket(string Path)
{
    public string Endpoint => "unix:" + Path;

    /// <summary>The typed client, which takes the fast path beside the socket.</summary>
    public CacheClient Client() => new(DaemonEndpoint.Parse(Endpoint));

    /// <summary>The raw fast path, for requests the typed client would never send.</summary>
    public FastPathClient FastPath() =>
        FastPathClient.For(DaemonEndpoint.Parse(Endpoint), ClientCredentials.None) ?? throw new InvalidOperationException($"no fast path beside {Path}");
}
