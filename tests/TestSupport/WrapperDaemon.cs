using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;

namespace CacheFarm.TestSupport;

/// <summary>
/// A private cachefarmd for one test, started the way a developer's wrapper starts it: the published binary, through `cachefarm --start-server`
/// with its own temp data directory and no TCP listener, stopped (and its directory removed) on dispose.
/// </summary>
public sealed class WrapperDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dataDirectory;

    private WrapperDaemon(TempDirectory dataDirectory) => _dataDirectory = dataDirectory;

    public string DataDirectory => _dataDirectory.Path;

    /// <summary>The variables a wrapped build needs to use this daemon (and never the user's).</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["CACHEFARM_DATA_DIR"] = DataDirectory,
        ["CACHEFARM_LISTEN"] = "none",
        ["CACHEFARM_ENDPOINT"] = null,
        ["CACHEFARM_SOCKET"] = null,
        ["CACHEFARM_DAEMON"] = RepoPaths.DaemonBinary,
        ["CACHEFARM_RECACHE"] = null,
        ["CACHEFARM_NO_CACHE"] = null,
        ["SCCACHE_RECACHE"] = null,
        ["RUSTC_WRAPPER"] = null,
    };

    /// <summary>Starts the daemon; <paramref name="daemonSettings"/> are extra CACHEFARM_* variables it starts with.</summary>
    public static async Task<WrapperDaemon> StartAsync(IReadOnlyDictionary<string, string?>? daemonSettings = null)
    {
        var daemon = new WrapperDaemon(new TempDirectory("cf-daemon"));
        var env = daemon.Environment;
        env["CACHEFARM_IDLE_TIMEOUT"] = "0";
        foreach (var (name, value) in daemonSettings ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }
        var run = await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--start-server"], daemon.DataDirectory, env);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"cachefarm --start-server failed ({run.ExitCode}): {run.Stdout}{run.Stderr}");
        }
        return daemon;
    }

    public async Task<CompileStats> StatsAsync() => (await DaemonStatsAsync()).Compiles;

    public async Task<Stats> DaemonStatsAsync()
    {
        using var client = new CacheClient(DaemonEndpoint.FromEnvironment(name => Environment.TryGetValue(name, out var v) ? v : null));
        return await client.Admin.GetStatsAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRun.RunAsync(RepoPaths.ClientBinary, ["--stop-server"], DataDirectory, Environment);
        _dataDirectory.Dispose();
    }
}
