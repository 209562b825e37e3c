using System.Globalization;

namespace CacheFarm.Client.Slo;

/// <summary>
/// Runs the scenarios the spec names, repetition after repetition (interleaved, so a slow minute on the host touches
/// every scenario alike), with no pass beyond the scenarios themselves unless one is needed: a build before an
/// incremental one that does not follow the cached clean build, and one warm-up when a cached build finds the cache cold.
/// </summary>
public sealed class SloRun(SloRunContext context, ScenarioRunner runner, SloSpec spec)
{
    public async Task<(List<IReadOnlyList<ScenarioMeasurement>> Runs, List<string> Notes)> RunAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        var runs = new List<IReadOnlyList<ScenarioMeasurement>>();
        var notes = new List<string>();
        var warmed = new HashSet<SloScenario>();
        var stamp = started.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture);
        for (var repetition = 1; repetition <= spec.Repetitions; repetition++)
        {
            var run = new List<ScenarioMeasurement>();
            SloScenario? previous = null;
            foreach (var scenario in spec.Scenarios)
            {
                if (scenario.TouchesFile && previous != SloScenario.CachedClean)
                {
                    await runner.PrepareAsync(scenario, cancellationToken).ConfigureAwait(false);
                }
                Progress(scenario, repetition);
                var id = string.Create(CultureInfo.InvariantCulture, $"slo-{stamp}-{repetition}-{scenario.Name}");
                var measured = await runner.MeasureAsync(scenario, id, cancellationToken).ConfigureAwait(false);
                if (scenario.Cached && scenario.Clean && measured.Misses > 0 && warmed.Add(scenario))
                {
                    // "From a warm cache" is the scenario: a cold cache is warmed by the first pass and measured again.
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{scenario.Name}: the cache was cold ({measured.Misses} misses); that build warmed it and the scenario ran again"));
                    Progress(scenario, repetition);
                    measured = await runner.MeasureAsync(scenario, id + "-again", cancellationToken).ConfigureAwait(false);
                }
                run.Add(measured);
                previous = scenario;
            }
            runs.Add(run);
        }
        return (runs, notes);
    }

    private void Progress(SloScenario scenario, int repetition) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cachefarm slo: {scenario.Name} ({scenario.Title}){(spec.Repetitions > 1 ? $", repetition {repetition} of {spec.Repetitions}" : "")} in {context.Workspace.Root}"));
}
