using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

public sealed class DaemonAutoStartTests
{
    [Fact]
    public async Task A_build_starts_the_local_daemon_once_and_uses_it_from_the_first_compile()
    {
        using var data = new TempDirectory("cf-autostart");
        using var work = new TempDirectory("cf-autostart-ws");
        var env = new Dictionary<string, string?>
        {
            ["CACHEFARM_DATA_DIR"] = data.Path,
            ["CACHEFARM_LISTEN"] = "none",
            ["CACHEFARM_ENDPOINT"] = null,
            ["CACHEFARM_DAEMON"] = RepoPaths.DaemonBinary,
            ["CACHEFARM_IDLE_TIMEOUT"] = "60",
            ["CARGO_INCREMENTAL"] = "0",
        };
        var dir = DirectoryCopy.Run(RepoPaths.RustFixture, work.Combine("ws"));
        try
        {
            var build = await CargoBuild.RunAsyncWithEnvironment(dir, env);

            Assert.Empty(build.Units("cache-error"));
            Assert.Equal(RustFixtureBuilds.AllUnits, build.Units("miss"));
            Assert.True(File.Exists(Path.Combine(data.Path, "cachefarmd.sock")), "the daemon's socket should exist after the build");
        }
        finally
        {
            await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], data.Path, env);
        }
    }
}
