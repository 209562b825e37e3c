using System.Diagnostics;

namespace CacheFarm.TestSupport;

/// <summary>A real redis-server on a free loopback port, without persistence.</summary>
public sealed class RedisServerProcess : LoopbackServerProcess
{
    private readonly TempDirectory _dir = new("cfr");

    private RedisServerProcess(int port)
        : base(port)
    {
    }

    /// <summary>host:port, as StackExchange.Redis and cachefarmd's --redis take it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    protected override string ReadyText => "Ready to accept connections";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort.Next());
        await server.RestartAsync().ConfigureAwait(false);
        return server;
    }

    protected override ProcessStartInfo StartInfo() => new(Require("/usr/bin/redis-server", "apt-get install redis-server (scripts/setup.sh does)"))
    {
        ArgumentList =
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _dir.Path,
        },
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }
}
