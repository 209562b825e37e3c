using CacheFarm.Client.Cargo;
using System.Globalization;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using Grpc.Core;

namespace CacheFarm.Client.Slo;

/// <summary>
/// <c>cachefarm slo</c>: runs the standard builds of the workspace through cachefarm, measures them, checks the
/// targets in Cargo.toml (or --config) and prints a pass/fail table; exit 1 when a target is missed, 2 when the
/// run itself cannot be done.
/// </summary>
public static class SloCommand
{
    public static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var (options, error) = SloOptions.Parse(args);
        if (options is null)
        {
            return await FailAsync(error!).ConfigureAwait(false);
        }
        try
        {
            return await RunAsync(options, env, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SloSpecException or SloBuildException or CargoMetadataException)
        {
            return await FailAsync(e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RpcException or DaemonStartException)
        {
            return await FailAsync(e.Message).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(SloOptions options, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var cargo = env("CARGO") is { Length: > 0 } set ? set : "cargo";
        var workspace = await CargoWorkspace.ReadAsync(cargo, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
        var store = new SloStore(DaemonEndpoint.DefaultDataDirectory(env), workspace.Root);
        if (options.History)
        {
            var history = store.History();
            Console.Write(SloHistoryReport.Render(history));
            history.ForEach(h => h.Dispose());
            return 0;
        }
        var spec = options.ConfigFile is { } config ? SloSpec.FromFile(config) : SloSpec.FromCargoToml(workspace.Manifest);
        spec = spec with
        {
            Scenarios = options.Scenarios ?? spec.Scenarios,
            Repetitions = options.Repetitions ?? spec.Repetitions,
            Touch = options.Touch ?? spec.Touch,
        };
        var baseline = store.Baseline();
        var touch = TouchFile(spec, workspace);
        if (spec.Targets.FirstOrDefault(t => t.Metric == SloMetric.WallRatio && spec.Scenarios.Contains(t.Scenario)) is { } ratio && !spec.Scenarios.Contains(SloScenario.Uncached))
        {
            throw new SloSpecException($"{ratio.Name} compares with the uncached build: add uncached to the scenarios");
        }
        var endpoint = DaemonEndpoint.FromEnvironment(env);
        using var client = new CacheClient(endpoint, env("CACHEFARM_NAMESPACE") ?? "", credentials: ClientCredentials.FromEnvironment(env));
        if (endpoint.CanAutoStart)
        {
            // The builds' records (hit rate, link time) go to the daemon: it must be up before the uncached build, which never starts it.
            await DaemonAutoStart.EnsureRunningAsync(client, env, cancellationToken).ConfigureAwait(false);
        }
        var context = new SloRunContext
        {
            Workspace = workspace,
            Cargo = cargo,
            Wrapper = Environment.ProcessPath ?? throw new SloSpecException("cannot tell where the cachefarm binary is"),
            TargetDirectory = Path.Combine(workspace.TargetDirectory, "cachefarm-slo"),
            TouchFile = touch,
            CargoArgs = options.CargoArgs,
            Verbose = options.Verbose,
        };
        var started = DateTimeOffset.UtcNow;
        var (runs, notes) = await new SloRun(context, new ScenarioRunner(context, client), spec).RunAsync(started, cancellationToken).ConfigureAwait(false);
        var result = SloResult.Evaluate(workspace.Root, started, spec, runs, baseline, notes);
        store.Append(result);
        if (options.SaveBaseline)
        {
            store.SaveBaseline(result);
        }
        Console.Write(options.Json ? SloJsonReport.Render(result) + "\n" : SloTextReport.Render(result));
        if (options.HtmlPath is { } html)
        {
            await File.WriteAllTextAsync(html, SloHtmlReport.Render(result), cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("cachefarm slo: HTML written to " + Path.GetFullPath(html)).ConfigureAwait(false);
        }
        return result.Passed ? 0 : 1;
    }

    // The file the incremental build touches: as configured (relative to the workspace root), else the first member's lib.rs or main.rs.
    private static string TouchFile(SloSpec spec, CargoWorkspace workspace)
    {
        var file = spec.Touch is { } touch ? Path.GetFullPath(touch, workspace.Root) : workspace.FirstMemberSource;
        if (!spec.Scenarios.Contains(SloScenario.Incremental))
        {
            return file ?? "";
        }
        return file is not null && File.Exists(file)
            ? file
            : throw new SloSpecException(string.Create(CultureInfo.InvariantCulture, $"the incremental build touches {file ?? "the first member's source"}, which does not exist: name one with --touch FILE"));
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync("cachefarm slo: " + message).ConfigureAwait(false);
        return 2;
    }
}
