using System.Diagnostics;

namespace CacheFarm.TestSupport;

/// <summary>A real redis-server on a free loopback port, without persistence.</summary>
public sealed class RedisServerProcess : LoopbackServerProcess
{
    private readonly TempDirectory _dir = new("cfr");
    private readonly string[] _extraArgs;

    private RedisServerProcess(int port, string[] extraArgs)
        : base(port) => _extraArgs = extraArgs;

    /// <summary>host:port, as StackExchange.Redis and cachefarmd's --redis take it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    protected override string ReadyText => "Ready to accept connections";

    private const int ClusterBusOffset = 10_000;

    public static Task<RedisServerProcess> StartAsync() => StartAsync([]);

    /// <summary>Starts redis-server with more options (a password, cluster mode, TLS).</summary>
    public static async Task<RedisServerProcess> StartAsync(params string[] extraArgs)
    {
        // A cluster node binds its bus port too, 10000 above its own: past 32000 that could be a parallel test's ephemeral port.
        var server = new RedisServerProcess(FreePort.Next(extraArgs.Contains("--cluster-enabled") ? ClusterBusOffset : 0), extraArgs);
        await server.RestartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts redis-server serving only TLS (on <see cref="LoopbackServerProcess.Port"/>) with the given server certificate.</summary>
    public static Task<RedisServerProcess> StartTlsAsync(TestCertificates certificates, params string[] extraArgs) =>
        StartAsync([
            "--tls-port", "{port}", "--port", "0",
            "--tls-cert-file", certificates.ServerCert, "--tls-key-file", certificates.ServerKey,
            "--tls-ca-cert-file", certificates.CaCert, "--tls-auth-clients", "no", .. extraArgs]);

    protected override ProcessStartInfo StartInfo()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(Require("/usr/bin/redis-server", "apt-get install redis-server (scripts/setup.sh does)"))
        {
            ArgumentList =
            {
                "--port", port, "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _dir.Path,
            },
        };
        // Later options win in redis-server, so these can replace the defaults above (e.g. --port 0 for TLS only).
        foreach (var arg in _extraArgs)
        {
            start.ArgumentList.Add(arg == "{port}" ? port : arg);
        }
        return start;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }
}
