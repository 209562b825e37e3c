using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CacheFarm.Protos.Wire;

/// <summary>Trust in one private CA, for either end of a connection: a client checking the daemon, a daemon checking clients or its upstream.</summary>
public static class CertificateAuthority
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authority"/> and nothing else.</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>Makes a TLS client accept only server certificates issued by the CA in <paramref name="caFile"/> (PEM), for the right host name.</summary>
    public static void TrustOnly(SslClientAuthenticationOptions ssl, string caFile)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
        ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && IssuedBy(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), authority);
    }
}
