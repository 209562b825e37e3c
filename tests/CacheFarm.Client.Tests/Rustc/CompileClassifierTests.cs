using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class CompileClassifierTests
{
    // Workspace members are built with -C incremental in the dev profile; their lines are checked with incremental caching on.
    public static TheoryData<string, bool> CachedCargoLines => new()
    {
        { "ws-registry-lib", false }, { "ws-lib-with-externs-and-cfgs", false }, { "ws-build-script", false }, { "ws-proc-macro", false },
        { "ws-lib-with-rustc-cfgs", false }, { "fixture-build-script", true }, { "fixture-lib", true }, { "fixture-proc-macro", true },
        { "fixture-cdylib", true }, { "fixture-bin", true }, { "fixture-test-harness", true }, { "fixture-integration-test", true },
        { "fixture-check", true }, { "fixture-release-bin", false }, { "build-script-probe", false },
    };

    [Theory]
    [MemberData(nameof(CachedCargoLines))]
    public void Caches_libraries_bins_proc_macros_cdylibs_build_scripts_tests_and_checks(string label, bool member)
    {
        var verdict = CompileClassifier.Classify(RustcArgsParser.Parse(CargoCommandLines.Arguments(label)), cacheIncremental: member);

        Assert.Equal(CompileClassification.Cacheable, verdict);
    }

    [Theory]
    [InlineData("cargo-version-probe", "missing input")]
    [InlineData("cargo-file-names-probe", "-")]
    [InlineData("ws-bin-incremental", "incremental")]
    public void Passes_probes_stdin_and_incremental_builds_through_with_sccaches_reason(string label, string reason)
    {
        var verdict = CompileClassifier.Classify(RustcArgsParser.Parse(CargoCommandLines.Arguments(label)), cacheIncremental: false);

        Assert.Equal(CompileClassification.NotCacheable(reason), verdict);
    }

    [Fact]
    public void Caches_incremental_builds_when_enabled()
    {
        var verdict = CompileClassifier.Classify(RustcArgsParser.Parse(CargoCommandLines.Arguments("ws-bin-incremental")), cacheIncremental: true);

        Assert.Equal(CompileKind.Cacheable, verdict.Kind);
    }

    [Theory]
    [InlineData("unsupported --emit", "lib.rs", "--emit=link,llvm-ir")]
    [InlineData("unsupported --emit", "lib.rs", "--emit=link=/tmp/out")]
    [InlineData("-o", "lib.rs", "-o", "out")]
    [InlineData("--sysroot", "lib.rs", "--sysroot", "/s")]
    [InlineData("multiple input files", "a.rs", "b.rs")]
    [InlineData("crate-type", "lib.rs", "--crate-type", "sharedlib")]
    [InlineData("argument parse", "lib.rs", "--no-such-flag")]
    [InlineData("--print", "lib.rs", "--print", "cfg")]
    public void Refuses_what_it_cannot_cache(string reason, params string[] args)
    {
        Assert.Equal(CompileClassification.NotCacheable(reason), CompileClassifier.Classify(RustcArgsParser.Parse(args), cacheIncremental: false));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--explain", "E0308")]
    [InlineData("lib.rs", "--emit=dep-info")]
    public void Recognises_calls_that_are_not_compilations(params string[] args)
    {
        Assert.Equal(CompileKind.NotCompilation, CompileClassifier.Classify(RustcArgsParser.Parse(args), cacheIncremental: false).Kind);
    }
}
