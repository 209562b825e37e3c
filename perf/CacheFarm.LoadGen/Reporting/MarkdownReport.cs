using System.Globalization;
using System.Text;

namespace CacheFarm.LoadGen.Reporting;

/// <summary>Renders a report as Markdown tables: one per scenario, plus per-operation latencies where a scenario mixes operations.</summary>
internal static class MarkdownReport
{
    private const string Missing = "–";

    public static string Render(LoadGenReport report)
    {
        var settings = report.Settings;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"# cachefarm-loadgen — {report.StartedUtc:yyyy-MM-dd HH:mm} UTC"));
        text.AppendLine();
        var window = settings.Requests is { } requests ? $"{requests} requests" : $"{settings.DurationSeconds} s measured";
        text.AppendLine(Invariant(
            $"{settings.ProcessorCount} cores, {settings.Runtime}; concurrency {settings.Concurrency}, warm-up {settings.WarmupSeconds} s, {window}, {settings.Rounds} round(s) alternating A/B (medians; errors summed; RSS peaks maxed)."));
        foreach (var scenario in report.Scenarios)
        {
            text.AppendLine();
            RenderScenario(text, scenario);
        }
        return text.ToString();
    }

    private static void RenderScenario(StringBuilder text, ScenarioReport scenario)
    {
        text.AppendLine($"## {scenario.Scenario}");
        text.AppendLine();
        text.AppendLine("| target | users | MiB/s | ops/s | p50 ms | p95 ms | p99 ms | errors | server peak RSS MiB | server CPU ms/MiB | server CPU µs/op | client CPU ms/MiB |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var target in scenario.Targets)
        {
            if (target.Median is not { } m)
            {
                var reason = target.Rounds.Select(r => r.Failure).FirstOrDefault(f => f is not null) ?? "no measurements";
                text.AppendLine($"| {target.Target} | failed: {Escape(reason)} | | | | | | | | | | |");
                continue;
            }
            text.AppendLine(Invariant(
                $"| {target.Target} | {m.Users} | {m.MibPerSecond:F1} | {m.OpsPerSecond:F0} | {m.P50Ms:F2} | {m.P95Ms:F2} | {m.P99Ms:F2} | {m.Errors} | {Number(m.ServerPeakRssMiB, "F0")} | {Number(m.ServerCpuMsPerMiB, "F2")} | {Number(m.ServerCpuUsPerOp, "F0")} | {Number(m.ClientCpuMsPerMiB, "F2")} |"));
        }
        foreach (var (name, r) in scenario.Ratios)
        {
            text.AppendLine(Invariant(
                $"| **{name} / redis** | | **{Number(r.MibPerSecond, "F2")}** | **{Number(r.OpsPerSecond, "F2")}** | {Number(r.P50Ms, "F2")} | {Number(r.P95Ms, "F2")} | {Number(r.P99Ms, "F2")} | | | {Number(r.ServerCpuMsPerMiB, "F2")} | {Number(r.ServerCpuUsPerOp, "F2")} | |"));
        }
        RenderOperations(text, scenario);
        RenderErrors(text, scenario);
    }

    private static void RenderOperations(StringBuilder text, ScenarioReport scenario)
    {
        var mixed = scenario.Targets.Where(t => t.Median is { ByOperation.Count: > 1 }).ToList();
        if (mixed.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("| target | operation | MiB/s | ops/s | p50 ms | p95 ms | p99 ms | errors |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var target in mixed)
        {
            foreach (var o in target.Median!.ByOperation)
            {
                text.AppendLine(Invariant(
                    $"| {target.Target} | {o.Operation} | {o.MibPerSecond:F1} | {o.OpsPerSecond:F0} | {o.P50Ms:F2} | {o.P95Ms:F2} | {o.P99Ms:F2} | {o.Errors} |"));
            }
        }
    }

    private static void RenderErrors(StringBuilder text, ScenarioReport scenario)
    {
        var samples = scenario.Targets
            .SelectMany(t => (t.Median?.ErrorSamples ?? []).Select(s => $"{t.Target}: {s}"))
            .ToList();
        if (samples.Count == 0)
        {
            return;
        }
        text.AppendLine();
        foreach (var sample in samples)
        {
            text.AppendLine($"- {Escape(sample)}");
        }
    }

    private static string Number(double? value, string format) =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? Missing;

    private static string Escape(string value) => value.Replace("|", "\\|").Replace('\n', ' ');

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
