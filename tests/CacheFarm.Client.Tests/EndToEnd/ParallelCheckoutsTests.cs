using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// Two checkouts that differ in one build-script input, built at the same time against one daemon from an empty
/// cache: the shared scripts and crates are stored by whichever build gets there first, and neither checkout
/// ever receives the other's outputs.
/// </summary>
public sealed class ParallelCheckoutsTests
{
    [Fact]
    public async Task Two_checkouts_built_at_once_each_get_their_own_build_script_outputs()
    {
        using var work = new TempDirectory("cf-parallel");
        await using var daemon = await WrapperDaemon.StartAsync();
        var fixture = new ProbeWorkspace(work.Combine("outside"));
        var env = fixture.Environment;
        var first = fixture.Write(work.Combine("first", "ws"));
        var second = fixture.Write(work.Combine("second", "ws"));
        fixture.Change("a declared file", second, env);

        var cold = await Task.WhenAll(CargoBuild.RunAsync(first, daemon, env), CargoBuild.RunAsync(second, daemon, env));
        var firstAgain = DirectoryCopy.Run(first, work.Combine("first-again", "ws"));
        var secondAgain = DirectoryCopy.Run(second, work.Combine("second-again", "ws"));
        var warm = await Task.WhenAll(CargoBuild.RunAsync(firstAgain, daemon, env), CargoBuild.RunAsync(secondAgain, daemon, env));
        var firstUncached = DirectoryCopy.Run(first, work.Combine("first-uncached", "ws"));
        var secondUncached = DirectoryCopy.Run(second, work.Combine("second-uncached", "ws"));
        await CargoBuild.RunAsync(firstUncached, null, env);
        await CargoBuild.RunAsync(secondUncached, null, env);

        foreach (var build in cold.Concat(warm))
        {
            Assert.Equal(0, build.Run.ExitCode);
            Assert.DoesNotContain(build.Calls, c => c.Outcome == "cache-error");
        }
        // The second pair finds everything the first pair stored, each checkout its own probe entry.
        foreach (var build in warm)
        {
            Assert.Equal(["bystander/build-script", "probe/build-script"], build.ScriptRuns.Where(r => r.Outcome == "hit").Select(r => r.Unit).Order());
        }
        var firstOutput = await fixture.RunAppAsync(firstUncached);
        var secondOutput = await fixture.RunAppAsync(secondUncached);
        Assert.NotEqual(firstOutput, secondOutput);
        foreach (var (built, reference) in new[] { (first, firstUncached), (firstAgain, firstUncached), (second, secondUncached), (secondAgain, secondUncached) })
        {
            Assert.Equal(await fixture.RunAppAsync(reference), await fixture.RunAppAsync(built));
            Assert.Equal(ProbeWorkspace.GeneratedCode(reference), ProbeWorkspace.GeneratedCode(built));
        }
    }
}
