using System.Net.Security;

namespace CacheFarm.Protos.Wire;

/// <summary>Where a daemon's bulk-read listener is and how to reach it: TLS options when it has a certificate, and the bearer token when it has tokens.</summary>
public sealed record BulkReadEndpoint(string Host, int Port, SslClientAuthenticationOptions? Tls, string? Token)
{
    /// <summary>Parses <c>host:port</c>; TLS as the daemon's main address says (https), trusting only <paramref name="caFile"/> when given.</summary>
    /// <exception cref="FormatException">Not host:port.</exception>
    public static BulkReadEndpoint Parse(string hostPort, bool tls, string? caFile, string? token)
    {
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{hostPort}' is not host:port");
        }
        var host = hostPort[..colon].Trim('[', ']');
        SslClientAuthenticationOptions? ssl = null;
        if (tls)
        {
            ssl = new SslClientAuthenticationOptions { TargetHost = host };
            if (caFile is not null)
            {
                CertificateAuthority.TrustOnly(ssl, caFile);
            }
        }
        return new BulkReadEndpoint(host, port, ssl, token);
    }
}
