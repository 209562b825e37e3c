using CacheFarm.Client.BuildScripts;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;

namespace CacheFarm.Client.Tests.BuildScripts;

public sealed class BuildScriptEnvironmentTests
{
    private static readonly CheckoutRoots Roots = new("/ws/pkg", [new PathRoot(CheckoutRoots.Workspace, "/ws"), new PathRoot(CheckoutRoots.TargetDir, "/ws/target")]);

    private static Dictionary<string, string> Cargo(params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["OUT_DIR"] = "/ws/target/debug/build/pkg-1/out",
            ["TARGET"] = "x86_64-unknown-linux-gnu",
            ["CARGO_PKG_NAME"] = "pkg",
            ["CARGO_MANIFEST_DIR"] = "/ws/pkg",
            ["NUM_JOBS"] = "2",
            ["CARGO_MAKEFLAGS"] = "-j --jobserver-fds=3,4 --jobserver-auth=3,4",
            ["HOME"] = "/home/u",
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }
        return env;
    }

    [Fact]
    public void The_job_count_and_jobserver_never_enter_the_first_level()
    {
        var twoJobs = BuildScriptEnvironment.FirstLevel(Cargo(), Roots).ToList();
        var oneJob = BuildScriptEnvironment.FirstLevel(Cargo(("NUM_JOBS", "1"), ("CARGO_MAKEFLAGS", "-j1")), Roots).ToList();

        Assert.Equal(twoJobs, oneJob);
        Assert.DoesNotContain(twoJobs, v => v.Key is "NUM_JOBS" or "CARGO_MAKEFLAGS");
    }

    [Fact]
    public void Cargo_set_variables_enter_with_checkout_paths_normalised()
    {
        var keyed = BuildScriptEnvironment.FirstLevel(Cargo(), Roots).ToDictionary(v => v.Key, v => v.Value);
        var elsewhere = new CheckoutRoots("/other/pkg", [new PathRoot(CheckoutRoots.Workspace, "/other"), new PathRoot(CheckoutRoots.TargetDir, "/other/target")]);
        var moved = Cargo(("OUT_DIR", "/other/target/debug/build/pkg-1/out"), ("CARGO_MANIFEST_DIR", "/other/pkg"));

        Assert.Equal(keyed, BuildScriptEnvironment.FirstLevel(moved, elsewhere).ToDictionary(v => v.Key, v => v.Value));
        Assert.Equal("x86_64-unknown-linux-gnu", keyed["TARGET"]);
        Assert.False(keyed.ContainsKey("HOME"));
    }

    [Fact]
    public void A_variable_the_script_reads_is_keyed_by_its_starting_value_or_as_unset()
    {
        Assert.Equal("/home/u", TracedVariables.Value(Cargo(), "HOME", Roots));
        Assert.Null(TracedVariables.Value(Cargo(), "CC", Roots));
        Assert.True(TracedVariables.IsUnkeyed("PATH"));
        Assert.True(TracedVariables.IsUnkeyed("CACHEFARM_LOG"));
        Assert.False(TracedVariables.IsUnkeyed("CFLAGS"));
    }
}
