using System.Security.Cryptography.X509Certificates;
using CacheFarm.Daemon.Configuration;
using CacheFarm.Protos.Wire;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CacheFarm.Daemon.Security;

/// <summary>TLS (and optionally mutual TLS) on the TCP listener, from PEM files.</summary>
internal static class TlsSetup
{
    public static void Apply(ListenOptions listen, DaemonSettings settings)
    {
        if (settings.TlsCertificate is null)
        {
            return;
        }
        if (settings.TlsKey is null)
        {
            throw new SettingsException("tls_cert needs tls_key");
        }
        X509Certificate2 certificate;
        X509Certificate2? clientCa = null;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(settings.TlsCertificate, settings.TlsKey);
            if (settings.TlsClientCa is { } caPath)
            {
                clientCa = X509CertificateLoader.LoadCertificateFromFile(caPath);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new SettingsException($"cannot load the TLS certificate, key or client CA: {e.Message}");
        }
        listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            if (clientCa is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (client, _, _) => CertificateAuthority.IssuedBy(client, clientCa);
            }
        });
    }
}
