using CacheFarm.Client.Connection;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Security.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task MutualTlsServesClientsWithACertificateFromTheCaAndNoOneElse()
    {
        using var dir = new TempDirectory("cftls");
        var trusted = TestCertificates.Create(dir.Combine("trusted"));
        var stranger = TestCertificates.Create(dir.Combine("stranger"), "stranger");
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"),
            "--tls-cert", trusted.ServerCert, "--tls-key", trusted.ServerKey, "--tls-client-ca", trusted.CaCert);
        var data = BlobData.Random(2 << 20, seed: 5);
        var digest = ContentDigest.Of(data);

        using (var good = daemon.Client(credentials: new ClientCredentials { TlsCaFile = trusted.CaCert, TlsCertFile = trusted.ClientCert, TlsKeyFile = trusted.ClientKey }))
        {
            await good.UploadAsync(digest, new MemoryStream(data), default);
            var back = new MemoryStream();
            Assert.True(await good.DownloadAsync(digest, back, default));
            Assert.Equal(data, back.ToArray());
        }
        using (var noCertificate = daemon.Client(credentials: new ClientCredentials { TlsCaFile = trusted.CaCert }))
        {
            await Assert.ThrowsAsync<RpcException>(() => noCertificate.Admin.GetStatsAsync(default));
        }
        using (var wrongCertificate = daemon.Client(credentials: new ClientCredentials { TlsCaFile = trusted.CaCert, TlsCertFile = stranger.ClientCert, TlsKeyFile = stranger.ClientKey }))
        {
            await Assert.ThrowsAsync<RpcException>(() => wrongCertificate.Admin.GetStatsAsync(default));
        }
        using (var distrustingClient = daemon.Client(credentials: new ClientCredentials { TlsCaFile = stranger.CaCert, TlsCertFile = trusted.ClientCert, TlsKeyFile = trusted.ClientKey }))
        {
            await Assert.ThrowsAsync<RpcException>(() => distrustingClient.Admin.GetStatsAsync(default));
        }
    }

    [Fact]
    public async Task DaemonRefusesANonLoopbackListenerWithoutTokens()
    {
        using var dir = new TempDirectory("cfexp");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DaemonProcess.StartAsync(dir.Path, "--listen", "0.0.0.0:" + FreePort.Next()));
        Assert.Contains("refusing to listen", ex.Message);
    }
}
