using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Reporting;
using CacheFarm.LoadGen.Scenarios;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Running;

/// <summary>
/// Runs every scenario against every target for the requested rounds, alternating the order of targets
/// each round (A B, B A, A B, …) so that drift on a noisy machine does not favour either side.
/// </summary>
internal sealed class LoadGenSession(LoadGenOptions options)
{
    public async Task<LoadGenReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedUtc = DateTimeOffset.UtcNow;
        var connected = new List<ICacheTarget>();
        try
        {
            var targets = new List<(ICacheTarget Target, int? Pid)>();
            foreach (var spec in options.Targets)
            {
                var target = await TargetConnector.ConnectAsync(spec, options);
                connected.Add(target);
                targets.Add((target, await ServerProcessLocator.FindAsync(target, options, cancellationToken)));
            }
            var runner = new ScenarioRunner(options);
            var reports = new List<ScenarioReport>();
            foreach (var name in options.Scenarios)
            {
                reports.Add(await RunScenarioAsync(runner, ScenarioCatalog.Create(name, options.Workload), targets, cancellationToken));
            }
            return new LoadGenReport { StartedUtc = startedUtc, Settings = ReportSettings.From(options), Scenarios = reports };
        }
        finally
        {
            foreach (var target in connected)
            {
                await target.DisposeAsync();
            }
        }
    }

    private async Task<ScenarioReport> RunScenarioAsync(
        ScenarioRunner runner, IScenario scenario, IReadOnlyList<(ICacheTarget Target, int? Pid)> targets, CancellationToken cancellationToken)
    {
        var rounds = targets.ToDictionary(t => t.Target, _ => new List<RunMetrics>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            var order = round % 2 == 1 ? targets : targets.Reverse().ToList();
            foreach (var (target, pid) in order)
            {
                var metrics = await RunOnceAsync(runner, scenario, target, pid, round, cancellationToken);
                ProgressLine.Print(metrics, options.Rounds);
                rounds[target].Add(metrics);
            }
        }
        var summaries = targets.Select(t => (t.Target.Spec.Kind, Summary: new TargetSummary
        {
            Target = t.Target.Spec.Name,
            Address = t.Target.Spec.Endpoint.ToString(),
            ServerPid = t.Pid,
            Median = RoundMedians.Of(rounds[t.Target]),
            Rounds = rounds[t.Target],
        })).ToList();
        var redis = summaries.FirstOrDefault(s => s.Kind == TargetKind.Redis).Summary?.Median;
        return new ScenarioReport
        {
            Scenario = scenario.Name,
            Targets = summaries.Select(s => s.Summary).ToList(),
            Ratios = redis is null
                ? []
                : summaries.Where(s => s.Kind != TargetKind.Redis && s.Summary.Median is not null)
                    .Select(s => new TargetRatio(s.Summary.Target, RatioMetrics.Of(s.Summary.Median!, redis))).ToList(),
        };
    }

    private static async Task<RunMetrics> RunOnceAsync(
        ScenarioRunner runner, IScenario scenario, ICacheTarget target, int? pid, int round, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(scenario, target, pid, round, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One target failing a scenario (daemon down, preload refused) must not lose the other results.
            return new RunMetrics { Scenario = scenario.Name, Target = target.Spec.Name, Round = round, Failure = $"{ex.GetType().Name}: {ex.Message}" };
        }
    }
}
