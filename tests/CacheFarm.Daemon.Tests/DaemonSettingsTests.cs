using CacheFarm.Daemon.Configuration;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class DaemonSettingsTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value ?? (key == "HOME" ? "/home/dev" : null);

    [Fact]
    public void DefaultsAreALocalDaemonWithAFiveGibTierUnderTheUsersCacheDirectory()
    {
        var settings = DaemonSettingsLoader.Load([], Env());
        Assert.Equal("/home/dev/.cache/cachefarm", settings.DataDirectory);
        Assert.Equal(5L << 30, settings.Capacity);
        Assert.Equal("127.0.0.1:4227", settings.Listen);
        Assert.Equal("/home/dev/.cache/cachefarm/cachefarmd.sock", settings.Socket);
        Assert.Equal(TimeSpan.Zero, settings.IdleTimeout);
    }

    [Fact]
    public void FlagsBeatEnvironmentWhichBeatsTheConfigFile()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("cachefarmd.toml");
        File.WriteAllText(file, "capacity = \"1G\"\nlisten = \"127.0.0.1:9000\"\nidle_timeout_seconds = 30\n");
        var settings = DaemonSettingsLoader.Load(["--config", file, "--listen", "127.0.0.1:9002"],
            Env(("CACHEFARM_CAPACITY", "2G"), ("CACHEFARM_LISTEN", "127.0.0.1:9001")));
        Assert.Equal(2L << 30, settings.Capacity);
        Assert.Equal("127.0.0.1:9002", settings.Listen);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.IdleTimeout);
    }

    [Fact]
    public void JsonConfigFilesAreReadToo()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("cachefarmd.json");
        File.WriteAllText(file, "{\"capacity\": \"512M\", \"socket\": \"none\"}");
        var settings = DaemonSettingsLoader.Load(["--config", file], Env());
        Assert.Equal(512L << 20, settings.Capacity);
        Assert.Null(settings.Socket);
    }

    [Theory]
    [InlineData("--capacity", "lots", "capacity")]
    [InlineData("--capacity", "128M", "capacity: '128M' is below the smallest local tier, 256M")]
    [InlineData("--bogus", "1", "unknown flag --bogus")]
    [InlineData("--checkpoint-interval", "0", "checkpoint_interval_seconds")]
    [InlineData("--upstream", "cache.internal:4227", "upstream")]
    [InlineData("--upstream", "ftp://cache.internal:21", "upstream")]
    [InlineData("--upstream-token-file", "/nonexistent/token", "upstream_token_file")]
    [InlineData("--upstream-mode", "sometimes", "upstream_mode")]
    public void BadValuesAreRefusedWithTheSettingNamed(string flag, string value, string expected)
    {
        var ex = Assert.Throws<SettingsException>(() => DaemonSettingsLoader.Load([flag, value], Env()));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_runner_names_its_upstream_and_reads_the_token_from_a_mounted_file()
    {
        using var dir = new TempDirectory();
        var tokenFile = dir.Combine("token");
        File.WriteAllText(tokenFile, "runner-secret\n");
        var settings = DaemonSettingsLoader.Load([], Env(
            ("CACHEFARM_UPSTREAM", "https://cache.internal:4227"), ("CACHEFARM_UPSTREAM_TOKEN_FILE", tokenFile), ("CACHEFARM_UPSTREAM_MODE", "read-only")));
        Assert.True(settings.Upstream.IsConfigured);
        Assert.Equal(new Uri("https://cache.internal:4227"), settings.Upstream.Endpoint);
        Assert.Equal("runner-secret", settings.Upstream.Token);
        Assert.Equal(CacheFarm.Daemon.Storage.Remote.TierMode.ReadOnly, settings.Upstream.Mode);
        Assert.False(DaemonSettingsLoader.Load([], Env()).Upstream.IsConfigured);
    }

    [Fact]
    public void UnknownKeyInTheConfigFileIsRefused()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("cachefarmd.toml");
        File.WriteAllText(file, "capacty = \"1G\"\n");
        var ex = Assert.Throws<SettingsException>(() => DaemonSettingsLoader.Load(["--config", file], Env()));
        Assert.Contains("unknown setting 'capacty'", ex.Message);
    }

    [Fact]
    public void DisablingBothListenersIsRefused()
    {
        var ex = Assert.Throws<SettingsException>(() => DaemonSettingsLoader.Load(["--no-socket", "--no-tcp"], Env()));
        Assert.Contains("nothing to listen on", ex.Message);
    }

    [Theory]
    [InlineData("5G", 5L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("5GiB", 5L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("1048576", 1L << 20)]
    public void SizesParseTheWaySccacheUsersWriteThem(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
