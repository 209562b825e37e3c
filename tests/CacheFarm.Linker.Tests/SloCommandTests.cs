using System.Text.Json;
using CacheFarm.Client.Slo;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests;

/// <summary><c>cachefarm slo</c> on real cargo builds of tests/fixtures/cc-fixture (see <see cref="SloScenarioRuns"/>).</summary>
public sealed class SloCommandTests(SloScenarioRuns runs, ITestOutputHelper output) : IClassFixture<SloScenarioRuns>
{
    [Fact]
    public void Every_scenario_produces_every_figure()
    {
        output.WriteLine(runs.ColdRun.Stderr);
        output.WriteLine(runs.WarmRun.Stdout);
        foreach (var scenario in SloScenario.All.Select(s => s.Name))
        {
            foreach (var figure in SloRows.MeasuredFigures)
            {
                var row = SloRows.Row(runs.Warm, scenario, figure);
                Assert.True(row.TryGetProperty("median", out var median), $"{scenario} {figure} has no value");
                Assert.True(median.GetDouble() >= 0, $"{scenario} {figure} = {median}");
            }
            Assert.True(SloRows.Row(runs.Warm, scenario, "wall_seconds").GetProperty("median").GetDouble() > 0);
            Assert.True(SloRows.Row(runs.Warm, scenario, "peak_memory_bytes").GetProperty("median").GetDouble() > 10_000_000, $"{scenario}: a cargo build holds more than 10 MB");
            Assert.True(SloRows.Row(runs.Warm, scenario, "binary_bytes").GetProperty("median").GetDouble() > 100_000, $"{scenario}: the cc-fixture binary");
        }
        // The clean builds run the build script (it compiles C); only the incremental one skips it. Every build links the binary.
        foreach (var scenario in new[] { "uncached", "cached", "release" })
        {
            Assert.True(SloRows.Row(runs.Warm, scenario, "build_script_seconds").GetProperty("median").GetDouble() > 0, $"{scenario}: no build-script time");
        }
        Assert.True(SloRows.Row(runs.Warm, "uncached", "link_seconds").GetProperty("median").GetDouble() > 0, "the uncached build's link time");
        Assert.True(SloRows.Row(runs.Warm, "cached", "wall_ratio").GetProperty("median").GetDouble() > 0);
        Assert.True(SloRows.Row(runs.Warm, "cached", "hit_rate").GetProperty("median").GetDouble() >= 0.9);
        Assert.True(SloRows.Row(runs.Warm, "release", "hit_rate").GetProperty("median").GetDouble() >= 0.9);
    }

    [Fact]
    public void A_tight_target_exits_1_and_names_the_failing_row()
    {
        Assert.Equal(1, runs.WarmRun.ExitCode);
        Assert.False(runs.Warm.RootElement.GetProperty("passed").GetBoolean());
        Assert.False(SloRows.Row(runs.Warm, "incremental", "wall_seconds").GetProperty("passed").GetBoolean());
        Assert.True(SloRows.Row(runs.Warm, "cached", "wall_seconds").GetProperty("passed").GetBoolean());
        Assert.True(SloRows.Row(runs.Warm, "cached", "hit_rate").GetProperty("passed").GetBoolean());

        output.WriteLine(runs.TextRun.Stdout);
        Assert.Equal(1, runs.TextRun.ExitCode);
        Assert.Contains("targets missed: incremental.wall_seconds", runs.TextRun.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"incremental\s+wall time\s+\S+ s\s+≤ 0\.00 s\s+FAIL", runs.TextRun.Stdout);
    }

    [Fact]
    public void A_cold_cache_is_warmed_once_and_a_warm_cache_costs_no_pass_beyond_the_scenarios()
    {
        var coldNotes = runs.Cold.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains(coldNotes, n => n!.StartsWith("cached: the cache was cold", StringComparison.Ordinal));
        Assert.Empty(runs.Warm.RootElement.GetProperty("notes").EnumerateArray());
        // Four scenarios, four builds: the incremental one follows the cached clean build, so it needs no build of its own first.
        Assert.Equal(["cached", "incremental", "release", "uncached"], runs.WarmBuildIds.Select(id => id[(id.LastIndexOf('-') + 1)..]).Order());
    }

    [Fact]
    public void The_cached_release_binary_matches_an_uncached_build()
    {
        Assert.Equal(runs.Outputs.Uncached, runs.Outputs.Cached);
        Assert.Equal("slo 42 42\n", runs.Outputs.Cached);
    }

    [Fact]
    public void History_lists_each_run_with_its_verdict()
    {
        output.WriteLine(runs.History.Stdout);
        Assert.Equal(0, runs.History.ExitCode);
        var lines = runs.History.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("uncached", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains("FAIL (1)", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_HTML_page_renders_pass_and_fail_in_headless_Chromium() =>
        await SloPageScreenshot.AssertShowsPassAndFailAsync(runs.HtmlFile, output);

    [Fact]
    public async Task A_bad_target_is_a_clear_error_with_exit_2()
    {
        var bad = Path.Combine(runs.TempPath, "bad-slo.toml");
        await File.WriteAllTextAsync(bad, "[cached]\nwall_minutes = 3\n");
        var run = await runs.Cargo.CachefarmAsync(runs.Workspace, null, "slo", "--config", bad);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cached.wall_minutes is not a figure", run.Stderr, StringComparison.Ordinal);
    }
}
