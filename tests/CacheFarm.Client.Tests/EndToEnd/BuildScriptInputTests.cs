using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// One traced input kind per test: after a cached build, the input changes, and a clean build must rerun
/// exactly the script that read it (a bystander script still hits) and produce what an uncached build of the
/// changed tree produces. The scripts' reads are deliberately undeclared where the test says so.
/// </summary>
public sealed class BuildScriptInputTests
{
    [Theory]
    [InlineData("an undeclared file outside the package")]
    [InlineData("an undeclared environment variable")]
    [InlineData("a C header outside the checkout")]
    [InlineData("the program the script runs")]
    [InlineData("a declared file")]
    [InlineData("a dependency of the script")]
    public async Task Changing_a_traced_input_reruns_exactly_that_script(string input)
    {
        using var work = new TempDirectory("cf-bsinput");
        await using var daemon = await WrapperDaemon.StartAsync();
        var fixture = new ProbeWorkspace(work.Combine("outside"));
        var first = fixture.Write(work.Combine("ws"));
        var env = fixture.Environment;
        await CargoBuild.RunAsync(first, daemon, env);
        await CargoBuild.RunAsync(first, daemon, env, "clean");
        var warm = await CargoBuild.RunAsync(first, daemon, env);
        Assert.Equal(["bystander/build-script", "probe/build-script"], warm.ScriptRuns.Where(r => r.Outcome == "hit").Select(r => r.Unit).Order());

        env = fixture.Change(input, first, env);
        await CargoBuild.RunAsync(first, daemon, env, "clean");
        var changed = await CargoBuild.RunAsync(first, daemon, env);
        Assert.Equal(["probe/build-script"], changed.ScriptRuns.Where(r => r.Outcome == "miss").Select(r => r.Unit));
        Assert.Equal(["bystander/build-script"], changed.ScriptRuns.Where(r => r.Outcome == "hit").Select(r => r.Unit));

        var reference = DirectoryCopy.Run(first, work.Combine("uncached"));
        await CargoBuild.RunAsync(reference, null, env);
        Assert.Equal(await fixture.RunAppAsync(reference), await fixture.RunAppAsync(first));
        Assert.Equal(ProbeWorkspace.GeneratedCode(reference), ProbeWorkspace.GeneratedCode(first));
    }

    [Theory]
    [InlineData("outside", "writes outside its outputs")]
    [InlineData("static", "untraceable: static program")]
    public async Task A_run_the_tracer_cannot_vouch_for_is_never_stored(string mode, string reason)
    {
        using var work = new TempDirectory("cf-bsrogue");
        await using var daemon = await WrapperDaemon.StartAsync();
        var fixture = new ProbeWorkspace(work.Combine("outside"));
        var ws = fixture.Write(work.Combine("ws"));
        // The workspace itself is under /tmp: give the build a temp directory of its own, as CI runners do.
        var env = new Dictionary<string, string?>(fixture.Environment) { ["PROBE_ROGUE"] = mode, ["TMPDIR"] = Directory.CreateDirectory(work.Combine("tmp")).FullName };
        var cold = await CargoBuild.RunAsync(ws, daemon, env);
        await CargoBuild.RunAsync(ws, daemon, env, "clean");
        var again = await CargoBuild.RunAsync(ws, daemon, env);
        foreach (var build in new[] { cold, again })
        {
            var probe = Assert.Single(build.ScriptRuns, r => r.Unit == "probe/build-script");
            Assert.Equal("not-cacheable", probe.Outcome);
            Assert.StartsWith(reason, probe.Reason, StringComparison.Ordinal);
        }
        Assert.Equal("hit", Assert.Single(again.ScriptRuns, r => r.Unit == "bystander/build-script").Outcome);
        Assert.Equal(await fixture.RunAppAsync(ws), await fixture.RunAppAsync(ws));
    }

    [Fact]
    public async Task A_failing_script_is_not_stored_and_fails_the_build_as_it_would_uncached()
    {
        using var work = new TempDirectory("cf-bsfail");
        await using var daemon = await WrapperDaemon.StartAsync();
        var fixture = new ProbeWorkspace(work.Combine("outside"));
        var ws = fixture.Write(work.Combine("ws"));
        var env = new Dictionary<string, string?>(daemon.Environment) { ["PATH"] = RustTools.SearchPath, ["RUSTC_WRAPPER"] = RepoPaths.ClientBinary };
        foreach (var (name, value) in fixture.Environment)
        {
            env[name] = value;
        }
        env["PROBE_ROGUE"] = "fail";
        var log = Path.Combine(work.Path, "wrapper.log");
        env["CACHEFARM_LOG"] = log;
        for (var run = 0; run < 2; run++)
        {
            var cargo = await ProcessRun.RunAsync(RustTools.Cargo, ["build"], ws, env);
            Assert.NotEqual(0, cargo.ExitCode);
            Assert.Contains("probe failed on purpose", cargo.Stderr + cargo.Stdout, StringComparison.Ordinal);
        }
        var probes = WrapperLogEntry.ReadAll(log).Where(e => e.Unit == "probe/build-script").ToList();
        Assert.Equal(2, probes.Count);
        Assert.Equal(("not-cacheable", "build script failed"), (probes[0].Outcome, probes[0].Reason));
        // The rerun finds the failed run's leftovers in OUT_DIR, as an uncached rerun would, and is not cached either.
        Assert.Equal("not-cacheable", probes[1].Outcome);
    }
}
