using System.Text.Json;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests;

/// <summary>Real links through the shim with mold, lld, GNU ld and rustc's rust-lld, on the repository's Rust fixture (a bin, a cdylib, a proc-macro, a build script).</summary>
public sealed class RealLinkTests : IAsyncLifetime
{
    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "fixtures", "rust-fixture");

    private readonly TempDirectory _temp = new("cf-links");
    private DaemonProcess? _daemon;

    public async Task InitializeAsync() => _daemon = await DaemonProcess.StartAsync(_temp.Combine("daemon"));

    [Fact]
    public async Task Each_policy_links_with_its_linker_the_binaries_run_and_each_choice_has_its_own_cache_keys()
    {
        var cargo = new WrappedCargo(_daemon!, _temp.Combine("client"));
        var keys = new Dictionary<string, Dictionary<string, string>>();
        string? expectedOutput = null;
        foreach (var (policy, linker) in new[] { ("mold", "mold"), ("lld", "lld"), ("bfd", "bfd"), ("default", "rust-lld"), ("off", "rust-lld") })
        {
            var workspace = await WorkspaceCopy.MakeAsync(Fixture, _temp.Combine(policy));
            var log = _temp.Combine(policy + ".log");
            // Non-incremental, so workspace members are cached and their keys logged.
            await cargo.CargoAsync(workspace, new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = policy, ["CACHEFARM_LOG"] = log, ["CARGO_INCREMENTAL"] = "0" });

            var app = Path.Combine(workspace, "target", "debug", "fixapp");
            var run = (await ProcessRun.RunAsync(app, [], workspace, new Dictionary<string, string?>())).Succeeded($"fixapp linked under CACHEFARM_LINKER={policy}");
            expectedOutput ??= run.Stdout;
            Assert.Equal(expectedOutput, run.Stdout);
            Assert.Contains("answer=42", run.Stdout, StringComparison.Ordinal);
            Assert.Equal(linker, await ElfComment.LinkerOfAsync(app));
            Assert.Equal(linker, await ElfComment.LinkerOfAsync(Path.Combine(workspace, "target", "debug", "libfixcdylib.so")));
            keys[policy] = EntryKeys(log);
        }

        // The linker choice is in the key of every crate that links, and only there.
        Assert.NotEqual(keys["mold"]["fixapp/fixapp"], keys["bfd"]["fixapp/fixapp"]);
        Assert.NotEqual(keys["mold"]["fixapp/fixapp"], keys["lld"]["fixapp/fixapp"]);
        Assert.NotEqual(keys["mold"]["fixcdylib/fixcdylib"], keys["bfd"]["fixcdylib/fixcdylib"]);
        Assert.NotEqual(keys["mold"]["genlib/build_script_build"], keys["bfd"]["genlib/build_script_build"]);
        Assert.Equal(keys["mold"]["genlib/genlib"], keys["bfd"]["genlib/genlib"]);
        // off and default both leave rustc's own choice: same arguments, same keys.
        Assert.Equal(keys["default"]["fixapp/fixapp"], keys["off"]["fixapp/fixapp"]);
    }

    [Theory]
    [InlineData("mold")]
    [InlineData("auto")]
    public async Task A_users_own_fuse_ld_in_RUSTFLAGS_stands_under_every_policy(string policy)
    {
        var cargo = new WrappedCargo(_daemon!, _temp.Combine("client-" + policy));
        var crate = TestCrate.Create(_temp.Combine("user-" + policy), "app");
        var env = new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = policy, ["RUSTFLAGS"] = "-C link-arg=-fuse-ld=bfd" };

        await cargo.CargoAsync(crate, env);

        Assert.Equal("bfd", await ElfComment.LinkerOfAsync(Path.Combine(crate, "target", "debug", "app")));
        var report = (await cargo.CachefarmAsync(crate, env, "report", "--format", "json", "--no-html")).Succeeded("cachefarm report");
        using var json = JsonDocument.Parse(report.Stdout);
        var linker = json.RootElement.GetProperty("linker");
        Assert.Equal("bfd", linker.GetProperty("name").GetString());
        Assert.Equal("set by the user: -C link-arg=-fuse-ld=bfd", linker.GetProperty("reason").GetString());
        // The user's linker is still timed through the shim.
        Assert.True(json.RootElement.GetProperty("link_us").GetInt64() > 0);
    }

    // unit (package/crate[/test]) → entry key, from the wrapper's log lines (outcome, crate, reason, times…, key, unit).
    private static Dictionary<string, string> EntryKeys(string log) =>
        File.ReadAllLines(log).Select(l => l.Split('\t')).Where(f => f.Length >= 9 && f[0] is "hit" or "miss" && f[7].Length == 64)
            .GroupBy(f => f[8]).ToDictionary(g => g.Key, g => g.Last()[7]);

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        _temp.Dispose();
    }
}
