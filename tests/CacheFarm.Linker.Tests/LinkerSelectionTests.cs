using CacheFarm.Client.Linker;
using CacheFarm.Client.Rustc;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests;

/// <summary>What the wrapper plans for rustc command lines as cargo writes them, on this host's real toolchain and linkers.</summary>
public sealed class LinkerSelectionTests : IDisposable
{
    private static readonly string[] Policies = ["auto", "mold", "lld", "bfd", "default"];

    private readonly TempDirectory _temp = new("cf-select");

    [Theory]
    [InlineData("-C", "linker=clang", "clang", false)]
    [InlineData("-C", "link-arg=-fuse-ld=gold", "gold", true)]
    [InlineData("-Clink-args=-Wl,-O1 -fuse-ld=bfd", null, "bfd", true)]
    [InlineData("-C", "linker-features=-lld", "cc default", true)]
    [InlineData("-C", "linker-flavor=gnu-cc", "gnu-cc", false)]
    [InlineData("--codegen", "link-self-contained=-linker", "cc default", true)]
    public async Task A_linker_the_user_set_is_never_overridden_under_any_policy(string option, string? value, string expectedLinker, bool timedThroughTheShim)
    {
        foreach (var policy in Policies)
        {
            var plan = await PlanAsync(policy, [.. BinCompile(), option, .. value is null ? Array.Empty<string>() : [value]]);

            Assert.Empty(plan.KeyArgs);
            Assert.Equal(expectedLinker, plan.Linker);
            Assert.StartsWith("set by the user: ", plan.Reason, StringComparison.Ordinal);
            // A replaced driver (-C linker, -C linker-flavor) is not even timed: the shim would change rustc's flavor guess.
            Assert.Equal(timedThroughTheShim, plan.RunArgs.Count > 0);
        }
    }

    [Theory]
    [InlineData("mold", "mold", "-C linker-features=-lld -C link-arg=-fuse-ld=mold")]
    [InlineData("lld", "lld", "-C linker-features=-lld -C link-arg=-fuse-ld=lld")]
    [InlineData("bfd", "bfd", "-C linker-features=-lld -C link-arg=-fuse-ld=bfd")]
    [InlineData("default", "rust-lld", "")]
    public async Task A_forced_policy_puts_its_linker_into_the_rustc_arguments_and_times_the_link(string policy, string linker, string keyArgs)
    {
        var plan = await PlanAsync(policy, BinCompile());

        Assert.Equal(keyArgs, string.Join(' ', plan.KeyArgs));
        Assert.Equal(linker, plan.Linker);
        Assert.Equal("CACHEFARM_LINKER=" + policy, plan.Reason);
        Assert.Equal("-C", plan.RunArgs[0]);
        Assert.StartsWith("linker=", plan.RunArgs[1], StringComparison.Ordinal);
        Assert.Equal("/usr/bin/cc", plan.RunEnvironment[LinkShimEnvironment.Driver]);
        Assert.False(plan.RunEnvironment.ContainsKey(LinkShimEnvironment.Trial), "a forced linker is not measured against others");
    }

    [Fact]
    public async Task Auto_starts_from_rustcs_own_lld_and_plans_a_shadow_link_to_measure_another_linker()
    {
        var plan = await PlanAsync("auto", BinCompile());

        Assert.Empty(plan.KeyArgs);
        Assert.Equal("rust-lld", plan.Linker);
        Assert.StartsWith("auto, still measuring", plan.Reason, StringComparison.Ordinal);
        Assert.Equal("-fuse-ld=mold", plan.RunEnvironment[LinkShimEnvironment.Trial]);
    }

    [Fact]
    public async Task Auto_never_makes_a_build_script_or_a_proc_macro_wait_for_a_shadow_link()
    {
        var buildScript = await PlanAsync("auto", ["--crate-name", "build_script_build", "--edition=2021", "build.rs", "--crate-type", "bin", "--emit=dep-info,link", "--out-dir", _temp.Path]);
        var procMacro = await PlanAsync("auto", ["--crate-name", "derive", "--edition=2021", "src/lib.rs", "--crate-type", "proc-macro", "--emit=dep-info,link", "--out-dir", _temp.Path]);

        foreach (var plan in new[] { buildScript, procMacro })
        {
            Assert.Equal("rust-lld", plan.Linker);
            Assert.True(plan.RunEnvironment.ContainsKey(LinkShimEnvironment.Driver), "the link is still timed");
            Assert.False(plan.RunEnvironment.ContainsKey(LinkShimEnvironment.Trial), "a build tool got a shadow link");
        }
    }

    [Fact]
    public async Task Off_crates_that_do_not_link_probes_and_other_targets_are_left_alone()
    {
        var off = await PlanAsync("off", BinCompile());
        var lib = await PlanAsync("mold", ["--crate-name", "lib", "--edition=2021", "src/lib.rs", "--crate-type", "lib", "--emit=dep-info,metadata,link", "--out-dir", _temp.Path]);
        var cross = await PlanAsync("mold", [.. BinCompile(), "--target", "aarch64-unknown-linux-gnu"]);
        var probe = await PlanAsync("mold", ["-", "--crate-name", "___", "--print=file-names", "--crate-type", "bin"]);

        foreach (var plan in new[] { off, lib, cross, probe })
        {
            Assert.Empty(plan.KeyArgs);
            Assert.Empty(plan.RunArgs);
            Assert.Empty(plan.RunEnvironment);
        }
        Assert.Equal("not managed for aarch64-unknown-linux-gnu", cross.Reason);
    }

    [Fact]
    public void Ranking_compares_linkers_on_the_same_jobs_so_that_job_size_cancels_out()
    {
        // Two job sizes: on each, "fast" takes 60% of "slow"'s time and "mid" 80%; the jobs differ tenfold.
        var samples = new List<LinkSample>();
        foreach (var job in new long[] { 40_000, 400_000, 40_000, 400_000 })
        {
            samples.Add(new LinkSample("mid", "fast", job * 8 / 10, job * 6 / 10, 1));
            samples.Add(new LinkSample("mid", "slow", job * 8 / 10, job, 1));
        }

        var scores = LinkerRanking.Score(samples, ["fast", "mid", "slow"]);

        Assert.Equal(1.0, scores["fast"].Relative!.Value, 3);
        Assert.Equal(8.0 / 6, scores["mid"].Relative!.Value, 3);
        Assert.Equal(10.0 / 6, scores["slow"].Relative!.Value, 3);
        Assert.All(scores.Values, s => Assert.True(s.Settled, $"{s.Name} is not settled after {s.Samples} samples over {s.MeasuredUs} µs"));
        // With a single comparison of tiny jobs nothing is settled yet, unless a linker is clearly slower.
        var early = LinkerRanking.Score([new LinkSample("mid", "fast", 8_000, 6_000, 1), new LinkSample("mid", "slow", 8_000, 10_000, 1)], ["fast", "mid", "slow"]);
        Assert.All(early.Values, s => Assert.False(s.Settled));
    }

    [Theory]
    [InlineData(0.90, "lld")]
    [InlineData(0.80, "mold")]
    public void Auto_keeps_its_current_linker_unless_another_is_clearly_faster(double moldTimeOfLld, string expected)
    {
        // Each flip misses on every linked crate in the next build, so a linker 10% faster is not worth one.
        var candidates = new List<LinkerCandidate> { LinkerCandidate.ThroughDriver("mold"), LinkerCandidate.ThroughDriver("lld") };
        var samples = Enumerable.Range(0, 20).Select(_ => new LinkSample("lld", "mold", 500_000, (long)(500_000 * moldTimeOfLld), 1)).ToList();

        var choice = LinkerSelector.ChooseAuto(candidates, new LinkerLearning { Samples = samples, Choice = "lld" });

        Assert.Equal(expected, choice.Candidate.Name);
    }

    private string[] BinCompile() =>
        ["--crate-name", "app", "--edition=2021", "src/main.rs", "--error-format=json", "--crate-type", "bin", "--emit=dep-info,link", "-C", "debuginfo=2", "--out-dir", _temp.Path];

    private async Task<LinkPlan> PlanAsync(string policy, string[] args)
    {
        var env = new Dictionary<string, string?> { ["PATH"] = RustToolchain.SearchPath, [LinkerPolicy.Variable] = policy };
        return await LinkerSetup.PlanAsync(RustcArgsParser.Parse(args), name => env.GetValueOrDefault(name), _temp.Path, new ToolchainLookup(RustToolchain.Rustc, _temp.Combine("data", "memo")), _temp.Combine("data"), CancellationToken.None);
    }

    public void Dispose() => _temp.Dispose();
}
