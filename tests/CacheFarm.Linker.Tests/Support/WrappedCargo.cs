using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// cargo through the published cachefarm against one test daemon, with a client data directory of its own (linkers.json,
/// linker-timings.json, memo files), and nothing from the test process's environment that could steer linking or caching.
/// </summary>
public sealed class WrappedCargo(DaemonProcess daemon, string clientDataDirectory)
{
    public string ClientDataDirectory { get; } = clientDataDirectory;

    public string LearningFile => Path.Combine(ClientDataDirectory, "linker-timings.json");

    public Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = RustToolchain.SearchPath,
            ["RUSTC_WRAPPER"] = RepoPaths.Binary("cachefarm"),
            ["CACHEFARM_ENDPOINT"] = daemon.Endpoint.ToString(),
            ["CACHEFARM_DATA_DIR"] = ClientDataDirectory,
            ["CARGO_TERM_COLOR"] = "never",
        };
        foreach (var name in new[]
        {
            "CACHEFARM_LINKER", "CACHEFARM_LINKER_CANDIDATES", "CACHEFARM_BUILD_ID", "CACHEFARM_NO_CACHE", "CACHEFARM_RECACHE", "SCCACHE_RECACHE",
            "CACHEFARM_LOG", "CACHEFARM_NAMESPACE", "CACHEFARM_SOCKET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_TARGET_DIR",
            "CARGO_INCREMENTAL", "CARGO_BUILD_RUSTFLAGS", "RUSTC", "CC", "CI",
        })
        {
            env[name] = null;
        }
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }
        return env;
    }

    /// <summary>Runs cargo (default: build) in <paramref name="workspace"/>; a failed build fails the test with cargo's output.</summary>
    public async Task<ProcessRun> CargoAsync(string workspace, IReadOnlyDictionary<string, string?>? extra = null, params string[] args) =>
        (await ProcessRun.RunAsync(RustToolchain.Cargo, args.Length == 0 ? ["build"] : args, workspace, Environment(extra))).Succeeded($"cargo {string.Join(' ', args)} in {workspace}");

    /// <summary>Runs the published cachefarm (report, linker, …) with the same environment.</summary>
    public Task<ProcessRun> CachefarmAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? extra = null, params string[] args) =>
        ProcessRun.RunAsync(RepoPaths.Binary("cachefarm"), args, workingDirectory, Environment(extra));
}
