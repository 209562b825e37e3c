using System.Net;
using System.Net.Sockets;
using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Services.BulkReads;
using CacheFarm.Daemon.Services.FastPath;
using CacheFarm.Protos.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CacheFarm.Daemon.Hosting;

/// <summary>Kestrel endpoints (Unix socket and TCP, HTTP/2 only; the fast path's socket; the bulk-read listener) and the limits tuned for large blob streams.</summary>
internal static class ListenerSetup
{
    public static void Configure(KestrelServerOptions kestrel, DaemonSettings settings, bool fastPath)
    {
        var http2 = kestrel.Limits.Http2;
        http2.InitialConnectionWindowSize = 16 << 20;
        http2.InitialStreamWindowSize = 8 << 20;
        http2.MaxStreamsPerConnection = 100;
        http2.MaxFrameSize = 1 << 20;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.AddServerHeader = false;
        if (settings.Socket is { } socket)
        {
            kestrel.ListenUnixSocket(socket, o => o.Protocols = HttpProtocols.Http2);
            if (fastPath)
            {
                kestrel.ListenUnixSocket(FastPathProtocol.SocketFor(socket), o => o.UseConnectionHandler<FastPathConnectionHandler>());
            }
        }
        if (settings.Listen is { } listen)
        {
            var endpoint = ParseEndpoint(listen);
            kestrel.Listen(endpoint, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                TlsSetup.Apply(o, settings);
            });
        }
        if (settings.BulkListen is { } bulk)
        {
            kestrel.Listen(ParseEndpoint(bulk), o =>
            {
                TlsSetup.Apply(o, settings);
                o.UseConnectionHandler<BulkReadConnectionHandler>();
            });
        }
        if (settings.MetricsListen is { } metrics)
        {
            // Scrapers and kubelet probes speak HTTP/1.1 (and h2c cannot be negotiated without TLS).
            kestrel.Listen(ParseEndpoint(metrics), o => o.Protocols = HttpProtocols.Http1);
        }
    }

    public static IPEndPoint ParseEndpoint(string listen)
    {
        if (IPEndPoint.TryParse(listen, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }
        var colon = listen.LastIndexOf(':');
        if (colon > 0 && listen[..colon] == "localhost" && int.TryParse(listen[(colon + 1)..], out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        throw new SettingsException($"listen: '{listen}' is not host:port (e.g. 127.0.0.1:{DaemonSettings.DefaultPort})");
    }

    /// <summary>Prepares the socket's directory (mode 0700) and refuses to take over a socket a live daemon serves.</summary>
    public static void PrepareSocket(string socketPath)
    {
        var directory = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(directory);
        if (!File.Exists(socketPath))
        {
            return;
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            throw new SettingsException($"another cachefarmd is already serving {socketPath}");
        }
        catch (SocketException)
        {
            // Nobody answers: a stale socket left by a killed daemon.
            File.Delete(socketPath);
        }
    }

    public static void RestrictSocket(string socketPath) =>
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
