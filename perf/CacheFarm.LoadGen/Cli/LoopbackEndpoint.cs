using System.Net;

namespace CacheFarm.LoadGen.Cli;

/// <summary>Where a target listens: a loopback TCP host and port, or a Unix socket path.</summary>
/// <remarks>
/// Only loopback is accepted: the figures are meant to compare servers on this machine, and a load
/// generator that can be pointed at any host is a denial-of-service tool.
/// </remarks>
internal sealed record LoopbackEndpoint(string? UnixSocketPath, string Host, int Port)
{
    private const string UnixPrefix = "unix:";

    public bool IsUnixSocket => UnixSocketPath is not null;

    /// <summary>The host as it goes into a URI or host:port string (IPv6 in brackets).</summary>
    public string UriHost => Host.Contains(':') ? $"[{Host}]" : Host;

    public override string ToString() => IsUnixSocket ? UnixPrefix + UnixSocketPath : $"{UriHost}:{Port}";

    /// <summary>Parses <c>http://127.0.0.1:PORT</c>, <c>unix:/path</c> or <c>/path</c> (h2c only, hence no https).</summary>
    public static bool TryParseGrpc(string text, out LoopbackEndpoint endpoint, out string error)
    {
        if (TryParseUnix(text, out endpoint))
        {
            error = string.Empty;
            return true;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort)
        {
            error = $"'{text}' is not http://HOST:PORT (h2c), unix:/path or an absolute socket path";
            return false;
        }
        return TryLoopback(uri.IdnHost, uri.Port, text, out endpoint, out error);
    }

    /// <summary>Parses <c>127.0.0.1:PORT</c>, <c>[::1]:PORT</c>, <c>localhost:PORT</c>, <c>unix:/path</c> or <c>/path</c>.</summary>
    public static bool TryParseRedis(string text, out LoopbackEndpoint endpoint, out string error)
    {
        if (TryParseUnix(text, out endpoint))
        {
            error = string.Empty;
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
        {
            error = $"'{text}' is not HOST:PORT, unix:/path or an absolute socket path";
            return false;
        }
        return TryLoopback(text[..colon], port, text, out endpoint, out error);
    }

    private static bool TryParseUnix(string text, out LoopbackEndpoint endpoint)
    {
        var path = text.StartsWith(UnixPrefix, StringComparison.Ordinal) ? text[UnixPrefix.Length..] : text;
        endpoint = new LoopbackEndpoint(path, "localhost", 0);
        return path.StartsWith('/');
    }

    private static bool TryLoopback(string host, int port, string text, out LoopbackEndpoint endpoint, out string error)
    {
        var trimmed = host.Trim('[', ']');
        endpoint = new LoopbackEndpoint(null, trimmed, port);
        if (trimmed.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(trimmed, out var address) && IPAddress.IsLoopback(address)))
        {
            error = string.Empty;
            return true;
        }
        error = $"'{text}' is not a loopback address; only 127.0.0.1, ::1, localhost or a Unix socket are allowed";
        return false;
    }
}
