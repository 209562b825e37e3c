using CacheFarm.Client.Reports;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests;

/// <summary>Build reports and auto's linker choice on tests/workloads/rust-ws, from one pass of real cargo builds (see <see cref="RustWsScenario"/>).</summary>
public sealed class RustWsReportTests(RustWsScenario scenario, ITestOutputHelper output) : IClassFixture<RustWsScenario>
{
    [Fact]
    public void The_report_after_a_warm_build_shows_hit_rate_time_saved_and_link_timings()
    {
        var warm = scenario.WarmReport!.RootElement;
        Assert.Equal("clean, warm cache", warm.GetProperty("kind").GetString());
        Assert.True(warm.GetProperty("hit_rate").GetDouble() >= 0.9, $"hit rate {warm.GetProperty("hit_rate")}");
        Assert.True(warm.GetProperty("hits").GetInt32() >= 50);
        Assert.True(warm.GetProperty("saved_us").GetInt64() > 10_000_000, "the hits saved less than 10 s of recorded compile time");
        Assert.True(warm.GetProperty("bytes_read").GetInt64() > 0);
        // Workspace members compile (incremental, not cacheable) and their binaries link through the shim.
        var links = warm.GetProperty("link_by_linker").EnumerateArray().ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.True(l.GetProperty("total_us").GetInt64() > 0));
        Assert.Contains(warm.GetProperty("crates").EnumerateArray(), c => c.GetProperty("unit").GetString() == "ws-cli/ws_cli" && c.GetProperty("link_us").GetInt64() > 0);
        foreach (var label in new[] { "hit rate", "time saved", "link time", "slowest crates" })
        {
            Assert.Contains(label, scenario.WarmReportText, StringComparison.Ordinal);
        }
        var cold = scenario.ColdReport!.RootElement;
        Assert.Equal("clean, cold cache", cold.GetProperty("kind").GetString());
        Assert.Equal(0, cold.GetProperty("hits").GetInt32());
    }

    [Fact]
    public void The_report_of_an_incremental_build_says_what_rebuilt_and_why()
    {
        var report = scenario.IncrementalReport!.RootElement;
        Assert.Equal("incremental", report.GetProperty("kind").GetString());
        var rebuilt = report.GetProperty("rebuilt").EnumerateArray().ToDictionary(r => r.GetProperty("unit").GetString()!, r => r.GetProperty("cause").GetString());
        Assert.Equal("changed: core/src/lib.rs", rebuilt["ws-core/ws_core"]);
        Assert.Equal("dependency changed: ws_core", rebuilt["ws-cli/ws_cli"]);
        Assert.Equal("dependency changed: ws_core", rebuilt["ws-server/ws_server"]);
        Assert.Contains("rebuilt and why", scenario.IncrementalReportText, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_compares_clean_and_incremental_builds_over_time()
    {
        var rows = scenario.Comparison.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("hit rate", rows[0], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains("clean, cold cache", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("clean, warm cache", StringComparison.Ordinal));
        Assert.True(rows.Count(r => r.Contains("incremental", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public void Auto_links_rust_ws_with_the_linker_that_measured_fastest_here()
    {
        output.WriteLine(scenario.LinkerCommandOutput);
        Assert.True(scenario.Learning.Settled, $"auto did not settle in {scenario.LearningRebuilds} touch-and-rebuilds: {scenario.Learning.Reason}");
        var expected = scenario.Learning.Choice == "default" ? "rust-lld" : scenario.Learning.Choice;
        // The reason ranks the fastest first at 1.00x. auto keeps the linker it links with while that one stays
        // within the switch margin of the fastest, so two close linkers do not take turns from build to build.
        var reason = scenario.Learning.Reason;
        Assert.StartsWith("auto, fastest measured here", reason, StringComparison.Ordinal);
        var measured = System.Text.RegularExpressions.Regex.Match(reason, $@"[:,] {System.Text.RegularExpressions.Regex.Escape(expected)} (\d+\.\d\d)x");
        Assert.True(measured.Success, reason);
        var relative = double.Parse(measured.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (reason.Contains("(kept: within", StringComparison.Ordinal))
        {
            Assert.InRange(relative, 1.0, CacheFarm.Client.Linker.LinkerRanking.SwitchMargin);
        }
        else
        {
            Assert.StartsWith($"auto, fastest measured here: {expected} 1.00x", reason, StringComparison.Ordinal);
        }
        Assert.Equal(expected, scenario.AutoLinkedBy["ws-cli"]);
        Assert.Equal(expected, scenario.AutoLinkedBy["ws-server"]);
        Assert.Contains($"choice        {expected}: auto, fastest measured here", scenario.LinkerCommandOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Against_GNU_ld_auto_cuts_the_touch_and_rebuild_time_by_at_least_40_percent()
    {
        output.WriteLine(scenario.Figures);
        var ratio = scenario.MedianRatio("auto", "bfd");
        Assert.True(ratio <= 0.6, $"auto/bfd = {ratio:0.00}:\n{scenario.Figures}");
    }

    [Fact]
    public async Task The_HTML_report_is_written_into_the_target_directory_and_renders_its_chart_in_headless_Chromium()
    {
        Assert.Equal(Path.Combine(scenario.WarmWorkspace, "target", HtmlReport.FileName), scenario.HtmlReport);
        using var browser = new TempDirectory("cf-chromium");
        var png = await HeadlessChromium.ScreenshotAsync(scenario.HtmlReport, browser.Combine("report.png"), browser.Combine("profile"));

        Assert.Equal((1200, 900), (png.Width, png.Height));
        // The trend chart (first on the page) shows the cold build's misses, the warm build's hits and every build's link time.
        foreach (var (color, what) in new[] { (ReportColors.Hit, "hits"), (ReportColors.Miss, "misses"), (ReportColors.Link, "link time") })
        {
            var pixels = png.Count(color);
            output.WriteLine($"{what} ({color}): {pixels} pixels");
            Assert.True(pixels > 500, $"the screenshot has {pixels} pixels of {color} ({what})");
        }
    }

    [Fact]
    public void Build_reports_survive_a_daemon_restart()
    {
        Assert.True(scenario.BuildIdsBeforeRestart.Count >= 3 + RustWsScenario.TimedRounds * RustWsScenario.TimedPolicies.Length);
        Assert.Equal(scenario.BuildIdsBeforeRestart, scenario.BuildIdsAfterRestart);
    }

    [Fact]
    public async Task Slo_measures_every_scenario_of_rust_ws_runs_no_extra_pass_when_warm_and_repeats_against_a_baseline()
    {
        using var temp = new TempDirectory("cf-slo-rust-ws");
        // The dev profile is warm from the builds above; release never ran, so only it finds the cache cold.
        var workspace = await WorkloadSloCheck.RunAsync(scenario.Cargo!, temp, "rust-ws", "ws-cli", "core", ["release"], output);
        // Now release is warm too.
        await WorkloadSloCheck.RunWarmAsync(scenario.Cargo!, workspace, output);
        await WorkloadSloCheck.RunRepeatedAgainstBaselineAsync(scenario.Cargo!, temp, workspace, output);
    }
}
