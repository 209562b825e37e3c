using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>The Redis tier against the deployments operators run: a cluster, and a password-protected server speaking only TLS.</summary>
public sealed class RedisDeploymentTests
{
    [Fact]
    public async Task Two_daemons_share_blobs_and_entries_through_a_three_node_Redis_cluster_that_spreads_the_keys()
    {
        using var dir = new TempDirectory("cfrc");
        await using var cluster = await RedisCluster.StartAsync();
        var blobs = Enumerable.Range(0, 24).Select(i => BlobData.Random(20_000 + i, seed: 100 + i)).ToList();
        await using (var writer = await DaemonProcess.StartAsync(dir.Combine("a"), "--redis", cluster.Endpoints))
        {
            foreach (var blob in blobs)
            {
                await Blobs.WriteAsync(writer, blob);
            }
            await Blobs.PutEntryAsync(writer, Blobs.Key(1), blobs[0]);
            await DaemonStats.DrainedAsync(writer);
            Assert.Equal(0, (await DaemonStats.TierAsync(writer, "redis")).Errors);
        }

        await using var reader = await DaemonProcess.StartAsync(dir.Combine("b"), "--redis", cluster.Endpoints);
        Assert.NotNull(await Blobs.GetEntryAsync(reader, Blobs.Key(1)));
        foreach (var blob in blobs)
        {
            Assert.Equal(blob, await Blobs.ReadAsync(reader, ContentDigest.Of(blob)));
        }
        var redis = await DaemonStats.TierAsync(reader, "redis");
        Assert.Equal(blobs.Count, redis.BlobHits);
        Assert.Equal(1, redis.EntryHits);
        // Keys carry no hash tag, so the cluster spreads one namespace over every master.
        foreach (var node in cluster.Nodes)
        {
            Assert.True(await cluster.KeysOnAsync(node) > 0, $"node {node.Endpoint} holds no keys");
        }
    }

    [Fact]
    public async Task A_password_protected_Redis_serving_only_TLS_under_a_private_CA_carries_the_tier()
    {
        using var dir = new TempDirectory("cfrt");
        var certificates = TestCertificates.Create(dir.Combine("certs"));
        await using var redis = await RedisServerProcess.StartTlsAsync(certificates, "--requirepass", "s3cret pass");
        var endpoint = $"rediss://:s3cret%20pass@127.0.0.1:{redis.Port}";
        var output = BlobData.Random(50_000, seed: 7);
        await using (var writer = await DaemonProcess.StartAsync(dir.Combine("a"), "--redis", endpoint, "--redis-ca", certificates.CaCert))
        {
            await Blobs.PutEntryAsync(writer, Blobs.Key(2), output);
            await DaemonStats.DrainedAsync(writer);
            Assert.Equal(0, (await DaemonStats.TierAsync(writer, "redis")).Errors);
        }

        await using var reader = await DaemonProcess.StartAsync(dir.Combine("b"), "--redis", endpoint, "--redis-ca", certificates.CaCert);
        Assert.NotNull(await Blobs.GetEntryAsync(reader, Blobs.Key(2)));
        Assert.Equal(output, await Blobs.ReadAsync(reader, ContentDigest.Of(output)));
        var tier = await DaemonStats.TierAsync(reader, "redis");
        Assert.Equal(1, tier.BlobHits);
        Assert.Equal(1, tier.EntryHits);

        // Without the CA the server is not trusted: the tier stays out of use and the daemon serves its own tier.
        await using var untrusting = await DaemonProcess.StartAsync(dir.Combine("c"), "--redis", endpoint);
        Assert.Null(await Blobs.GetEntryAsync(untrusting, Blobs.Key(2)));
        var local = BlobData.Random(10_000, seed: 8);
        await Blobs.WriteAsync(untrusting, local);
        Assert.Equal(local, await Blobs.ReadAsync(untrusting, ContentDigest.Of(local)));
        Assert.Equal(0, (await DaemonStats.TierAsync(untrusting, "redis")).BlobHits);
    }

    [Fact]
    public void A_Redis_CA_file_that_does_not_exist_is_refused_at_startup_with_the_setting_named()
    {
        var error = Assert.Throws<CacheFarm.Daemon.Configuration.SettingsException>(() =>
            CacheFarm.Daemon.Configuration.DaemonSettingsLoader.Load(["--redis", "rediss://127.0.0.1:6380", "--redis-ca", "/nonexistent/ca.pem"], _ => null));
        Assert.Contains("redis_ca", error.Message, StringComparison.Ordinal);
    }
}
