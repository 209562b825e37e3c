using System.Text.Json;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Linker.Tests;

/// <summary>auto learning on real cargo builds, with controlled linkers: stubs that sleep a set time and then exec the real one.</summary>
public sealed class LinkerLearningTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxBuilds = 12;

    private readonly TempDirectory _temp = new("cf-learn");
    private DaemonProcess? _daemon;

    public async Task InitializeAsync() => _daemon = await DaemonProcess.StartAsync(_temp.Combine("daemon"));

    [Fact]
    public async Task Auto_learns_to_link_with_the_faster_of_two_linkers_whose_speed_differs()
    {
        var stubs = new LinkerStubs(_temp.Combine("stubs"));
        // Between these two, auto starts from mold: make mold the slow one, so only measuring can move it to lld.
        stubs.Add("ld.mold", "mold 1.10.1 (compatible with GNU ld)", RustToolchain.Require("mold", "mold"), sleepSeconds: 0.6);
        stubs.Add("ld.lld", "Debian LLD 14.0.6 (compatible with GNU linkers)", RustToolchain.Require("ld.lld", "lld"), sleepSeconds: 0.05);
        var cargo = new WrappedCargo(_daemon!, _temp.Combine("client"));
        var env = new Dictionary<string, string?> { ["PATH"] = stubs.PathVariable, ["CACHEFARM_LINKER"] = "auto", ["CACHEFARM_LINKER_CANDIDATES"] = "mold,lld" };
        var crate = TestCrate.Create(_temp.Combine("app"), "app");

        var learning = LearningFile.Read(cargo.LearningFile);
        var builds = 0;
        while (!learning.Settled && builds < MaxBuilds)
        {
            TestCrate.SetVersion(crate, ++builds);
            await cargo.CargoAsync(crate, env);
            learning = LearningFile.Read(cargo.LearningFile);
            output.WriteLine($"build {builds}: {learning.Choice}: {learning.Reason}");
        }
        Assert.True(learning.Settled, $"auto had not settled after {builds} builds: {learning.Reason}");
        Assert.Equal("lld", learning.Choice);
        Assert.Matches(@"^auto, fastest measured here: lld 1\.00x, mold \d+\.\d\dx", learning.Reason);

        // The next link uses the choice: the binary says lld wrote it, and it runs.
        TestCrate.SetVersion(crate, ++builds);
        await cargo.CargoAsync(crate, env);
        var binary = Path.Combine(crate, "target", "debug", "app");
        Assert.Equal("lld", await ElfComment.LinkerOfAsync(binary));
        var run = (await ProcessRun.RunAsync(binary, [], crate, new Dictionary<string, string?>())).Succeeded("app");
        Assert.Equal($"version {builds}\n", run.Stdout);
        // Both linkers really ran: mold for the links made before the switch, lld for shadow links and after it.
        Assert.Contains(stubs.Calls, c => c.StartsWith("ld.mold ", StringComparison.Ordinal) && !c.Contains("--version", StringComparison.Ordinal));
        Assert.Contains(stubs.Calls, c => c.StartsWith("ld.lld ", StringComparison.Ordinal) && !c.Contains("--version", StringComparison.Ordinal));

        var linker = (await cargo.CachefarmAsync(crate, env, "linker")).Succeeded("cachefarm linker");
        Assert.Contains("choice        lld: auto, fastest measured here", linker.Stdout, StringComparison.Ordinal);
        var report = (await cargo.CachefarmAsync(crate, env, "report", "--format", "json")).Succeeded("cachefarm report");
        using var json = JsonDocument.Parse(report.Stdout);
        var linked = json.RootElement.GetProperty("link_by_linker").EnumerateArray().Single();
        Assert.Equal("lld", linked.GetProperty("linker").GetString());
        Assert.True(linked.GetProperty("total_us").GetInt64() > 50_000, "lld's stub sleeps 50 ms: the shim timed less than that");
        Assert.StartsWith("auto, fastest measured here: lld", json.RootElement.GetProperty("linker").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        _temp.Dispose();
    }
}
