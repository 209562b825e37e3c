namespace CacheFarm.Client.Tests.Support;

/// <summary>Runs real cargo in a workspace, through the published cachefarm wrapper (or without it), and reads back what the wrapper did.</summary>
public static class CargoBuild
{
    /// <summary>Runs cargo through cachefarm against <paramref name="daemon"/> (or without the wrapper when null); a non-zero exit fails the test with cargo's output.</summary>
    public static Task<BuildReport> RunAsync(string workspace, WrapperDaemon? daemon, IReadOnlyDictionary<string, string?>? extraEnvironment = null, params string[] cargoArgs)
    {
        var env = new Dictionary<string, string?>(daemon?.Environment ?? new Dictionary<string, string?> { ["RUSTC_WRAPPER"] = null });
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }
        return RunAsyncWithEnvironment(workspace, env, wrapped: daemon is not null, cargoArgs);
    }

    /// <summary>Runs cargo through cachefarm with exactly the given cachefarm environment (no daemon of the test's own).</summary>
    public static Task<BuildReport> RunAsyncWithEnvironment(string workspace, IReadOnlyDictionary<string, string?> environment, params string[] cargoArgs) =>
        RunAsyncWithEnvironment(workspace, environment, wrapped: true, cargoArgs);

    private static async Task<BuildReport> RunAsyncWithEnvironment(string workspace, IReadOnlyDictionary<string, string?> environment, bool wrapped, string[] cargoArgs)
    {
        var log = Path.Combine(workspace, $"cachefarm-{Guid.NewGuid():n}.log");
        var env = new Dictionary<string, string?>(environment)
        {
            ["PATH"] = RustTools.SearchPath,
            ["CARGO_TERM_COLOR"] = "never",
        };
        if (wrapped)
        {
            env["RUSTC_WRAPPER"] = RepoPaths.ClientBinary;
            env["CACHEFARM_LOG"] = log;
        }
        var run = await ProcessRun.RunAsync(RustTools.Cargo, cargoArgs.Length == 0 ? ["build"] : cargoArgs, workspace, env);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"cargo {string.Join(' ', cargoArgs)} in {workspace} failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        }
        var entries = WrapperLogEntry.ReadAll(log);
        File.Delete(log);
        return new BuildReport(run, entries);
    }
}

/// <summary>A finished cargo run and the wrapper's log lines for it.</summary>
public sealed record BuildReport(ProcessRun Run, List<WrapperLogEntry> Calls)
{
    public IEnumerable<WrapperLogEntry> Compiles => Calls.Where(c => !c.IsBuildScriptRun && !c.IsCCompile && (c.Outcome is "hit" or "miss" or "cache-error" || (c.Outcome == "not-cacheable" && c.Reason == "incremental")));

    /// <summary>The C and C++ compiles inside build-script runs, whatever their outcome.</summary>
    public IEnumerable<WrapperLogEntry> CCompiles => Calls.Where(c => c.IsCCompile);

    /// <summary>The build-script runs the launcher handled, whatever their outcome.</summary>
    public IEnumerable<WrapperLogEntry> ScriptRuns => Calls.Where(c => c.IsBuildScriptRun);

    /// <summary>The rustc units (package/crate) with this outcome; build-script runs are in <see cref="ScriptRuns"/>.</summary>
    public List<string> Units(string outcome) => [.. Calls.Where(c => !c.IsBuildScriptRun && !c.IsCCompile && c.Outcome == outcome).Select(c => c.Unit).Order(StringComparer.Ordinal)];

    public override string ToString() => string.Join("\n", Calls);
}
