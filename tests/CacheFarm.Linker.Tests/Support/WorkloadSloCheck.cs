using System.Diagnostics;
using System.Text.Json;
using CacheFarm.Client.Slo;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests.Support;

/// <summary>
/// Runs <c>cachefarm slo</c> with every scenario on a copy of a workload and checks all it reports against a target
/// file whose only unreachable target is the incremental wall time, renders its page in headless Chromium, runs
/// <c>cachefarm doctor</c> on the workload, and compares the program slo's builds left with the same program built
/// without cachefarm.
/// </summary>
public static class WorkloadSloCheck
{
    // Every target but the last holds when the cache works: a cached clean build well under half the uncached one,
    // all hits. The incremental wall time cannot hold.
    private const string Targets = """
        [cached]
        wall_ratio = 0.5
        hit_rate = 0.9

        [release]
        hit_rate = 0.9

        [incremental]
        wall_seconds = 0.001
        """;

    /// <param name="coldScenarios">The scenarios that must find the cache cold (and say so) on this daemon.</param>
    /// <returns>The workspace copy slo ran in.</returns>
    public static async Task<string> RunAsync(WrappedCargo cargo, TempDirectory temp, string workload, string program, string? scanned, string[] coldScenarios, ITestOutputHelper output)
    {
        var workspace = await WorkspaceCopy.MakeAsync(RepoPaths.Workload(workload), temp.Combine("ws"));
        var config = temp.Combine("slo.toml");
        await File.WriteAllTextAsync(config, Targets);
        var html = temp.Combine("slo.html");

        var run = await cargo.CachefarmAsync(workspace, null, "slo", "--json", "--html", html, "--config", config);
        output.WriteLine(run.Stderr);
        output.WriteLine(run.Stdout);
        using var result = JsonDocument.Parse(run.Stdout);
        var rows = result.RootElement.GetProperty("rows").EnumerateArray().ToList();
        JsonElement Row(string scenario, string figure) => SloRows.Row(result, scenario, figure);
        double Median(string scenario, string figure) => SloRows.Median(result, scenario, figure);

        foreach (var scenario in SloScenario.All.Select(s => s.Name))
        {
            foreach (var figure in SloRows.MeasuredFigures)
            {
                Assert.True(Row(scenario, figure).TryGetProperty("median", out var median) && median.GetDouble() >= 0, $"{scenario} {figure} has no value");
            }
            Assert.True(Median(scenario, "wall_seconds") > 0, $"{scenario}: no wall time");
            Assert.True(Median(scenario, "peak_memory_bytes") > 10_000_000, $"{scenario}: a cargo build holds more than 10 MB");
            Assert.True(Median(scenario, "binary_bytes") > 100_000, $"{scenario}: no binaries measured");
        }
        foreach (var scenario in new[] { "uncached", "cached", "release" })
        {
            Assert.True(Median(scenario, "build_script_seconds") > 0, $"{scenario}: no build-script time");
        }
        // Cached builds restore binaries rather than link them, so only the uncached build is sure to link.
        Assert.True(Median("uncached", "link_seconds") > 0, "the uncached build's link time");
        Assert.True(Median("uncached", "peak_memory_bytes") > 100_000_000, "the uncached build of a workspace holds more than 100 MB");

        Assert.Equal(1, run.ExitCode);
        Assert.False(result.RootElement.GetProperty("passed").GetBoolean());
        var failed = rows.Where(r => r.TryGetProperty("passed", out var passed) && !passed.GetBoolean())
            .Select(r => $"{r.GetProperty("scenario").GetString()}.{r.GetProperty("figure").GetString()}");
        Assert.Equal(["incremental.wall_seconds"], failed);
        Assert.True(Row("cached", "wall_ratio").GetProperty("passed").GetBoolean());
        Assert.True(Row("cached", "hit_rate").GetProperty("passed").GetBoolean());
        Assert.True(Row("release", "hit_rate").GetProperty("passed").GetBoolean());
        // Measured from a warm cache, every call hits: a build script left uncached would show here.
        Assert.Equal(1.0, Median("cached", "hit_rate"));
        Assert.Equal(1.0, Median("release", "hit_rate"));

        // Every record, C compiles deep inside the CMake build of a build script included, belongs to one of slo's cargo
        // builds. (cargo clean asks rustc for its version through the wrapper: a build of probes alone, without compiles.)
        var commands = (await RecordedBuildsAsync(cargo, workspace)).Select(b => b.Command).ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.StartsWith("cargo build", c, StringComparison.Ordinal));

        // A scenario that found the cache cold says so, and was measured again once warm.
        var cold = result.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)
            .Where(n => n.Contains(": the cache was cold", StringComparison.Ordinal)).Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)]).Order().ToList();
        Assert.Equal(coldScenarios.Order(), cold);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("incremental", page, StringComparison.Ordinal);
        Assert.Contains("FAIL", page, StringComparison.Ordinal);
        await SloPageScreenshot.AssertShowsPassAndFailAsync(html, output);

        await AssertDoctorFindsNothingToFixAsync(cargo, workspace, output);

        // The program slo's last dev build left (cached dependencies, the touched crate rebuilt) computes what the same
        // program built without cachefarm computes.
        var plain = await WorkspaceCopy.MakeAsync(RepoPaths.Workload(workload), temp.Combine("plain"));
        (await ProcessRun.RunAsync(RustToolchain.Cargo, ["build"], plain, new Dictionary<string, string?> { ["RUSTC_WRAPPER"] = null, ["CARGO_TARGET_DIR"] = null, ["PATH"] = RustToolchain.SearchPath }))
            .Succeeded($"uncached cargo build of {workload}");
        string[] args = scanned is null ? [] : [Path.Combine(RepoPaths.Workload(workload), scanned)];
        var uncached = (await ProcessRun.RunAsync(Path.Combine(plain, "target", "debug", program), args, plain, new Dictionary<string, string?>())).Succeeded($"the uncached {program}");
        var cached = (await ProcessRun.RunAsync(Path.Combine(workspace, "target", "cachefarm-slo", "debug", program), args, workspace, new Dictionary<string, string?>())).Succeeded($"{program} from slo's builds");
        output.WriteLine(uncached.Stdout);
        Assert.False(string.IsNullOrWhiteSpace(uncached.Stdout));
        Assert.Equal(uncached.Stdout, cached.Stdout);
        return workspace;
    }

    /// <summary>
    /// Runs slo again on a workspace whose every scenario the cache now holds: it builds each scenario once and nothing
    /// more, and the whole command costs at most one uncached build plus the scenarios themselves.
    /// </summary>
    public static async Task RunWarmAsync(WrappedCargo cargo, string workspace, ITestOutputHelper output)
    {
        async Task<List<string>> SloBuildIdsAsync() =>
            [.. (await RecordedBuildsAsync(cargo, workspace)).Select(b => b.Id).Where(id => id.Contains("slo-", StringComparison.Ordinal))];
        var before = await SloBuildIdsAsync();
        var clock = Stopwatch.StartNew();
        var run = await cargo.CachefarmAsync(workspace, null, "slo", "--json");
        clock.Stop();
        output.WriteLine(run.Stderr);
        Assert.Equal(0, run.ExitCode);
        using var result = JsonDocument.Parse(run.Stdout);
        Assert.Empty(result.RootElement.GetProperty("notes").EnumerateArray());
        var scenarios = SloScenario.All.Select(s => s.Name).ToList();
        var walls = scenarios.ToDictionary(s => s, s => SloRows.Median(result, s, "wall_seconds"));
        var budget = walls.Values.Sum() + walls["uncached"];
        output.WriteLine($"slo took {clock.Elapsed.TotalSeconds:F1} s; scenarios {string.Join(", ", walls.Select(w => $"{w.Key} {w.Value:F1} s"))}; budget {budget:F1} s");
        Assert.True(clock.Elapsed.TotalSeconds <= budget, $"slo took {clock.Elapsed.TotalSeconds:F1} s, more than one uncached build plus the scenarios ({budget:F1} s)");
        Assert.Equal(1.0, SloRows.Median(result, "cached", "hit_rate"));
        Assert.Equal(1.0, SloRows.Median(result, "release", "hit_rate"));

        // One recorded cargo build per scenario, none of them a warm-up.
        var added = (await SloBuildIdsAsync()).Except(before).ToList();
        output.WriteLine($"builds: {string.Join(", ", added)}");
        Assert.Equal(scenarios.Order(), added.Select(id => id[(id.LastIndexOf('-') + 1)..]).Order());
    }

    /// <summary>
    /// On a workspace the cache holds: two repetitions of the cached and release builds, saved as the baseline, report
    /// each figure's median and range over both; a later release run measures its binaries' size change against that
    /// baseline; <c>--history</c> lists both runs.
    /// </summary>
    public static async Task RunRepeatedAgainstBaselineAsync(WrappedCargo cargo, TempDirectory temp, string workspace, ITestOutputHelper output)
    {
        async Task<int> HistoryRunsAsync()
        {
            var history = (await cargo.CachefarmAsync(workspace, null, "slo", "--history")).Succeeded("cachefarm slo --history");
            output.WriteLine(history.Stdout);
            return history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        }
        var runsBefore = await HistoryRunsAsync();

        var repeated = await cargo.CachefarmAsync(workspace, null, "slo", "--json", "-n", "2", "--scenarios", "cached,release", "--save-baseline");
        output.WriteLine(repeated.Stderr);
        Assert.Equal(0, repeated.ExitCode);
        using (var result = JsonDocument.Parse(repeated.Stdout))
        {
            Assert.Equal(2, result.RootElement.GetProperty("repetitions").GetInt32());
            foreach (var scenario in new[] { "cached", "release" })
            {
                foreach (var figure in SloRows.MeasuredFigures)
                {
                    var row = SloRows.Row(result, scenario, figure);
                    var (min, median, max) = (row.GetProperty("min").GetDouble(), row.GetProperty("median").GetDouble(), row.GetProperty("max").GetDouble());
                    Assert.Equal(2, row.GetProperty("count").GetInt32());
                    Assert.True(min <= median && median <= max, $"{scenario} {figure}: median {median} outside {min}–{max}");
                }
            }
        }

        // The release binaries restored from the cache are the baseline's: no size change, and the target holds.
        var config = temp.Combine("size.toml");
        await File.WriteAllTextAsync(config, "[release]\nbinary_size_change = 0.01\n");
        var sized = await cargo.CachefarmAsync(workspace, null, "slo", "--json", "--scenarios", "release", "--config", config);
        output.WriteLine(sized.Stdout);
        Assert.Equal(0, sized.ExitCode);
        using (var result = JsonDocument.Parse(sized.Stdout))
        {
            var change = SloRows.Row(result, "release", "binary_size_change");
            Assert.Equal(0.0, change.GetProperty("median").GetDouble());
            Assert.True(change.GetProperty("passed").GetBoolean());
        }
        Assert.Equal(runsBefore + 2, await HistoryRunsAsync());
    }

    // doctor after slo's builds: the workload's every call cacheable, one version of each crate, the linker measured and
    // the daemon named, the profile advice given. Nothing is a problem, so it exits 0 (CI unset: on a CI run full
    // debuginfo is one).
    private static async Task AssertDoctorFindsNothingToFixAsync(WrappedCargo cargo, string workspace, ITestOutputHelper output)
    {
        var doctor = await cargo.CachefarmAsync(workspace, new Dictionary<string, string?> { ["CI"] = null }, "doctor", "--json");
        output.WriteLine(doctor.Stdout);
        Assert.Equal(0, doctor.ExitCode);
        using var report = JsonDocument.Parse(doctor.Stdout);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        string[] Titles(string area) => [.. findings.Where(f => f.GetProperty("area").GetString() == area).Select(f => f.GetProperty("title").GetString()!)];
        Assert.Contains(Titles("caching"), t => t.StartsWith("every call of the last build could be cached", StringComparison.Ordinal));
        Assert.Contains("every crate is compiled in one version", Titles("dependencies"));
        // slo's last build is a release build from the cache, which may restore its binaries rather than link them.
        Assert.Contains(Titles("linker"), t => t.StartsWith("the last build linked with ", StringComparison.Ordinal) || t == "no link in the last build");
        Assert.Contains(findings.Where(f => f.GetProperty("area").GetString() == "linker").SelectMany(f => f.GetProperty("details").EnumerateArray()),
            d => d.GetString()!.StartsWith("measured here: ", StringComparison.Ordinal));
        Assert.Contains(Titles("cache"), t => t.StartsWith("daemon ", StringComparison.Ordinal) && t.Contains(" is up", StringComparison.Ordinal));
        Assert.Contains(Titles("profiles"), t => t.StartsWith("debuginfo in dev builds", StringComparison.Ordinal));
    }

    // The builds the daemon recorded with compiles in them, newest 50.
    private static async Task<List<(string Id, string Command)>> RecordedBuildsAsync(WrappedCargo cargo, string workspace)
    {
        using var builds = JsonDocument.Parse((await cargo.CachefarmAsync(workspace, null, "report", "--builds", "50", "--format", "json")).Succeeded("cachefarm report --builds").Stdout);
        return [.. builds.RootElement.GetProperty("builds").EnumerateArray()
            .Where(b => b.GetProperty("compiles").GetInt32() > 0)
            .Select(b => (b.GetProperty("build_id").GetString() ?? "", b.GetProperty("command").GetString() ?? ""))];
    }
}
