using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Storage.Remote;

namespace CacheFarm.Tiers.Tests;

public sealed class RemoteSettingsTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value ?? (key == "HOME" ? "/home/dev" : null);

    [Fact]
    public void NoRemoteTierIsConfiguredByDefault()
    {
        var settings = DaemonSettingsLoader.Load([], Env());
        Assert.False(settings.Redis.IsConfigured);
        Assert.False(settings.S3.IsConfigured);
    }

    [Fact]
    public void SccacheVariablesConfigureTheRemoteTiers()
    {
        var settings = DaemonSettingsLoader.Load([], Env(
            ("SCCACHE_BUCKET", "builds"),
            ("SCCACHE_ENDPOINT", "minio.internal:9000"),
            ("SCCACHE_REGION", "eu-west-1"),
            ("SCCACHE_S3_KEY_PREFIX", "/ci/rust/"),
            ("SCCACHE_S3_USE_SSL", "false"),
            ("SCCACHE_REDIS", "redis://:secret@cache.internal:6380/2"),
            ("SCCACHE_REDIS_TTL", "86400")));
        Assert.Equal("builds", settings.S3.Bucket);
        Assert.Equal("minio.internal:9000", settings.S3.Endpoint);
        Assert.Equal("eu-west-1", settings.S3.Region);
        Assert.Equal("ci/rust", settings.S3.KeyPrefix);
        Assert.False(settings.S3.UseSsl);
        Assert.Equal("redis://:secret@cache.internal:6380/2", settings.Redis.Endpoint);
        Assert.Equal(TimeSpan.FromDays(1), settings.Redis.Ttl);
        Assert.True(settings.Redis.IsConfigured && settings.S3.IsConfigured);
    }

    [Fact]
    public void CachefarmVariablesBeatSccacheOnesAndFlagsBeatBoth()
    {
        var settings = DaemonSettingsLoader.Load(["--redis-mode", "read-only"], Env(
            ("SCCACHE_REDIS_ENDPOINT", "tcp://old:6379"),
            ("SCCACHE_REDIS_PASSWORD", "pw"),
            ("SCCACHE_REDIS_DB", "4"),
            ("CACHEFARM_REDIS", "new:6379"),
            ("SCCACHE_REDIS_RW_MODE", "READ_WRITE"),
            ("SCCACHE_S3_RW_MODE", "READ_ONLY")));
        Assert.Equal("new:6379", settings.Redis.Endpoint);
        Assert.Equal("pw", settings.Redis.Password);
        Assert.Equal(4, settings.Redis.Database);
        Assert.Equal(TierMode.ReadOnly, settings.Redis.Mode);
        Assert.Equal(TierMode.ReadOnly, settings.S3.Mode);
    }

    [Fact]
    public void TierSettingsComeFromTheConfigFileToo()
    {
        using var dir = new TestSupport.TempDirectory();
        var file = dir.Combine("cachefarmd.toml");
        File.WriteAllText(file, "redis = \"127.0.0.1:6379\"\nredis_max_blob_size = \"4M\"\ns3_bucket = \"b\"\ns3_part_size = \"16M\"\ns3_mode = \"write-only\"\nwrite_behind_queue = 100\nbackfill = false\n");
        var settings = DaemonSettingsLoader.Load(["--config", file], Env());
        Assert.Equal(4L << 20, settings.Redis.MaxBlobSize);
        Assert.Equal(16 << 20, settings.S3.PartSize);
        Assert.Equal(TierMode.WriteOnly, settings.S3.Mode);
        Assert.Equal(100, settings.Tiers.WriteBehindQueue);
        Assert.False(settings.Tiers.Backfill);
    }

    [Theory]
    [InlineData("--redis-mode", "sometimes")]
    [InlineData("--s3-part-size", "1M")]
    [InlineData("--s3-use-ssl", "maybe")]
    [InlineData("--redis", "redis://")]
    [InlineData("--redis", "127.0.0.1:6379,nosuchoption=1")]
    public void InvalidTierValuesAreRefusedWithTheSettingsName(string flag, string value)
    {
        var ex = Assert.Throws<SettingsException>(() => DaemonSettingsLoader.Load([flag, value], Env()));
        Assert.StartsWith(flag[2..].Replace('-', '_'), ex.Message);
    }

    [Fact]
    public void RedisUrlsAndNativeConnectionStringsBothParse()
    {
        var url = RedisConnectionString.Parse("rediss://user:p%40ss@cache.internal:6390/3");
        var endpoint = Assert.IsType<System.Net.DnsEndPoint>(Assert.Single(url.EndPoints));
        Assert.Equal(("cache.internal", 6390), (endpoint.Host, endpoint.Port));
        Assert.True(url.Ssl);
        Assert.Equal("user", url.User);
        Assert.Equal("p@ss", url.Password);
        Assert.Equal(3, url.DefaultDatabase);

        var cluster = RedisConnectionString.Parse("redis://a:7000,redis://b:7001");
        Assert.Equal(2, cluster.EndPoints.Count);

        var native = RedisConnectionString.Parse("127.0.0.1:6379,password=x,ssl=true");
        Assert.Equal("x", native.Password);
        Assert.True(native.Ssl);
    }
}
