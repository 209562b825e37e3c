namespace CacheFarm.Client.Connection;

/// <summary>Where the daemon is: a Unix socket (the local default) or a TCP address (<c>CACHEFARM_ENDPOINT</c>).</summary>
public sealed record DaemonEndpoint(string? SocketPath, Uri? Address)
{
    public const int DefaultPort = 4227;

    public bool IsLocalSocket => SocketPath is not null;

    /// <summary>True when the client may start the daemon itself (the default local socket, nothing configured).</summary>
    public bool CanAutoStart { get; init; }

    /// <summary>The data directory the daemon uses when the client starts it.</summary>
    public string DataDirectory { get; init; } = "";

    /// <summary>
    /// Resolves the endpoint from the environment: <c>CACHEFARM_ENDPOINT</c> (<c>http://host:port</c>,
    /// <c>https://…</c> or <c>unix:/path</c>), else the socket in the default data directory.
    /// </summary>
    public static DaemonEndpoint FromEnvironment(Func<string, string?> env)
    {
        var dataDirectory = DefaultDataDirectory(env);
        var configured = env("CACHEFARM_ENDPOINT");
        if (string.IsNullOrWhiteSpace(configured))
        {
            var socket = env("CACHEFARM_SOCKET");
            return new DaemonEndpoint(string.IsNullOrEmpty(socket) ? Path.Combine(dataDirectory, "cachefarmd.sock") : socket, null)
            {
                CanAutoStart = true,
                DataDirectory = dataDirectory,
            };
        }
        return Parse(configured) with { DataDirectory = dataDirectory };
    }

    public static DaemonEndpoint Parse(string text)
    {
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new DaemonEndpoint(text["unix:".Length..].TrimStart(), null);
        }
        if (text.StartsWith('/'))
        {
            return new DaemonEndpoint(text, null);
        }
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ArgumentException($"CACHEFARM_ENDPOINT '{text}' is not http://host:port, https://host:port or unix:/path");
        }
        return new DaemonEndpoint(null, uri);
    }

    public static string DefaultDataDirectory(Func<string, string?> env)
    {
        var explicitDir = env("CACHEFARM_DATA_DIR");
        if (!string.IsNullOrEmpty(explicitDir))
        {
            return Path.GetFullPath(explicitDir);
        }
        var cacheHome = env("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheHome))
        {
            cacheHome = Path.Combine(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cacheHome, "cachefarm");
    }

    public override string ToString() => SocketPath is not null ? "unix:" + SocketPath : Address!.ToString();
}
