using CacheFarm.Client.Cargo;
using System.Diagnostics;
using System.Text;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Processes;
using CacheFarm.Client.Reports;
using CacheFarm.Client.Reports.Recording;
using Grpc.Core;

namespace CacheFarm.Client.Slo;

/// <summary>
/// Runs one scenario as a real cargo build through cachefarm and measures it: wall time around cargo, the process
/// tree's peak memory, the final binaries from cargo's JSON messages, build-script time from cargo's timings, and
/// hit rate and link time from the build's records in the daemon (the build runs under its own CACHEFARM_BUILD_ID).
/// </summary>
public sealed class ScenarioRunner(SloRunContext context, CacheClient client)
{
    // Enough of cargo's stderr to show why a build failed.
    private const int StderrTailChars = 4000;

    // Longest wait for the previous build's stores; a daemon still busy after it is measured as it is.
    private static readonly TimeSpan StoreDrainLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs the scenario and measures it.</summary>
    /// <exception cref="SloBuildException">cargo failed.</exception>
    public async Task<ScenarioMeasurement> MeasureAsync(SloScenario scenario, string buildId, CancellationToken cancellationToken)
    {
        if (scenario.Clean)
        {
            await CargoAsync(["clean", "--target-dir", context.TargetDirectory, "--profile", scenario.Profile], null, null, cancellationToken).ConfigureAwait(false);
        }
        if (scenario.TouchesFile)
        {
            File.SetLastWriteTimeUtc(context.TouchFile, DateTime.UtcNow);
        }
        await WaitForStoresAsync(cancellationToken).ConfigureAwait(false);
        var artifacts = new CargoArtifacts(context.Workspace.MemberIds.ToHashSet(StringComparer.Ordinal));
        var (wall, peak) = await CargoAsync(BuildArgs(scenario), Environment(scenario, buildId), artifacts.Add, cancellationToken).ConfigureAwait(false);
        var summary = await BuildSummaryAsync(buildId, cancellationToken).ConfigureAwait(false);
        return new ScenarioMeasurement
        {
            Scenario = scenario,
            WallSeconds = wall.TotalSeconds,
            PeakMemoryBytes = peak,
            Binaries = artifacts.Sizes(),
            HitRate = scenario.Cached ? summary?.HitRate : null,
            Hits = summary?.Hits ?? 0,
            Misses = summary?.Misses ?? 0,
            LinkSeconds = summary is null ? null : summary.LinkUs / 1e6,
            BuildScriptSeconds = CargoTimings.BuildScriptSeconds(CargoTimings.ReportPath(context.TargetDirectory)),
        };
    }

    /// <summary>An unmeasured build of the scenario's profile, so that an incremental build starts from a complete one.</summary>
    public async Task PrepareAsync(SloScenario scenario, CancellationToken cancellationToken) =>
        await CargoAsync(BuildArgs(scenario), Environment(scenario, ""), null, cancellationToken).ConfigureAwait(false);

    private List<string> BuildArgs(SloScenario scenario) =>
    [
        "build", "--message-format", "json-render-diagnostics", "--timings", "--target-dir", context.TargetDirectory,
        .. scenario.Release ? ["--release"] : Array.Empty<string>(),
        .. context.CargoArgs,
    ];

    private Dictionary<string, string?> Environment(SloScenario scenario, string buildId)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RUSTC_WRAPPER"] = context.Wrapper,
            ["CARGO_TARGET_DIR"] = null,
            // The cached builds measure the cache as configured, never a forced recompile.
            ["CACHEFARM_RECACHE"] = null,
            ["SCCACHE_RECACHE"] = null,
            ["SCCACHE_NO_CACHE"] = null,
            ["CACHEFARM_NO_CACHE"] = scenario.Cached ? null : "1",
            [BuildIdentity.Variable] = buildId.Length > 0 ? buildId : null,
        };
        return env;
    }

    // Runs cargo in the workspace; its stdout lines go to onLine, its stderr is kept for the error. Returns the wall time and the peak memory.
    private async Task<(TimeSpan Wall, long? PeakBytes)> CargoAsync(
        IReadOnlyList<string> args, Dictionary<string, string?>? env, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(context.Cargo)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = context.Workspace.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new SloBuildException($"could not start {context.Cargo}");
        var memory = ProcessTreeMemory.Start(process.Id);
        var stderr = new StringBuilder();
        var readErr = CopyLinesAsync(process.StandardError, line =>
        {
            lock (stderr)
            {
                stderr.Append(line).Append('\n');
                if (stderr.Length > StderrTailChars * 2)
                {
                    stderr.Remove(0, stderr.Length - StderrTailChars);
                }
            }
            if (context.Verbose)
            {
                Console.Error.WriteLine(line);
            }
        }, cancellationToken);
        var readOut = CopyLinesAsync(process.StandardOutput, onLine ?? (_ => { }), cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        clock.Stop();
        await memory.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(readErr, readOut).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = stderr.ToString();
            throw new SloBuildException($"cargo {string.Join(' ', args.Take(1))} failed (exit {process.ExitCode}):\n{(tail.Length > StderrTailChars ? tail[^StderrTailChars..] : tail)}");
        }
        return (clock.Elapsed, memory.PeakBytes);
    }

    private static async Task CopyLinesAsync(StreamReader reader, Action<string> onLine, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }

    // A local daemon stores a build's compiles after cargo has exited (it holds them back while the build runs). A
    // scenario measured meanwhile would compete with storing the previous one: a warm build right after the warm-up
    // pass took 3.1 s on sys-ws, and 1.7 s when run again.
    private async Task WaitForStoresAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StoreDrainLimit)
        {
            try
            {
                var stats = await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
                if (stats.Requests is null || stats.Requests.DeferredStoresQueued == 0)
                {
                    return;
                }
            }
            catch (RpcException)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    // The build's records, or null when the daemon kept none (it was unreachable; the figures they give stay empty).
    private async Task<BuildSummary?> BuildSummaryAsync(string buildId, CancellationToken cancellationToken)
    {
        try
        {
            var reports = await client.Admin.GetBuildReportsAsync(1, BuildIdentity.HostPrefix + buildId, cancellationToken).ConfigureAwait(false);
            return reports.Builds.Count == 0 ? null : BuildSummary.From(reports.Builds[^1]);
        }
        catch (RpcException)
        {
            return null;
        }
    }
}

/// <summary>A scenario's build failed; <c>cachefarm slo</c> stops with exit code 2.</summary>
public sealed class SloBuildException(string message) : Exception(message);
