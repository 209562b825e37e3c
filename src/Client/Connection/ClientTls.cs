using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Connection;

/// <summary>TLS settings of the client: a private CA to trust and a client certificate for mutual TLS.</summary>
public static class ClientTls
{
    public static void Apply(SslClientAuthenticationOptions ssl, ClientCredentials credentials)
    {
        if (credentials.TlsCaFile is { } caFile)
        {
            CertificateAuthority.TrustOnly(ssl, caFile);
        }
        if (credentials.TlsCertFile is { } certFile)
        {
            var clientCertificate = X509Certificate2.CreateFromPemFile(certFile, credentials.TlsKeyFile ?? certFile);
            ssl.ClientCertificates = [clientCertificate];
        }
    }
}
