using System.Globalization;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>A real three-master Redis Cluster on loopback, created with redis-cli like an operator would.</summary>
internal sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(RedisServerProcess[] nodes) => Nodes = nodes;

    public RedisServerProcess[] Nodes { get; }

    /// <summary>Every node, as cachefarmd's --redis takes a cluster.</summary>
    public string Endpoints => string.Join(',', Nodes.Select(n => n.Endpoint));

    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = new List<RedisServerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await RedisServerProcess.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
            }
            var cluster = new RedisCluster([.. nodes]);
            await cluster.CreateAsync();
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Keys held by one node (DBSIZE).</summary>
    public async Task<long> KeysOnAsync(RedisServerProcess node) =>
        long.Parse((await Cli(node, "dbsize")).Trim(), CultureInfo.InvariantCulture);

    private async Task CreateAsync()
    {
        var create = await ProcessRun.RunAsync("/usr/bin/redis-cli",
            ["--cluster", "create", .. Nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"], ".", new Dictionary<string, string?>());
        create.Succeeded("redis-cli --cluster create");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var states = await Task.WhenAll(Nodes.Select(n => Cli(n, "cluster", "info")));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal)))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the Redis cluster did not reach cluster_state:ok within 30 s:\n" + string.Join("\n", states));
            }
            await Task.Delay(200);
        }
    }

    private static async Task<string> Cli(RedisServerProcess node, params string[] args)
    {
        var run = await ProcessRun.RunAsync("/usr/bin/redis-cli",
            ["-h", "127.0.0.1", "-p", node.Port.ToString(CultureInfo.InvariantCulture), .. args], ".", new Dictionary<string, string?>());
        return run.Succeeded("redis-cli " + string.Join(' ', args)).Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
