using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CacheFarm.Client.Connection;

/// <summary>TLS settings of the client: a private CA to trust and a client certificate for mutual TLS.</summary>
public static class ClientTls
{
    public static void Apply(SslClientAuthenticationOptions ssl, ClientCredentials credentials)
    {
        if (credentials.TlsCaFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null
                && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors)) == SslPolicyErrors.None
                && ChainsTo(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), authority);
        }
        if (credentials.TlsCertFile is { } certFile)
        {
            var clientCertificate = X509Certificate2.CreateFromPemFile(certFile, credentials.TlsKeyFile ?? certFile);
            ssl.ClientCertificates = [clientCertificate];
        }
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
