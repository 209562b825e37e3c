using System.Diagnostics;
using CacheFarm.Client.Tests.Support;
using Xunit.Abstractions;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// What a hit costs: the wrapper's whole run (process start to exit, outputs written and replayed) for a small
/// crate, against compiling the same crate through the wrapper in the same run. The figures are printed; the
/// assertion is relative so a busy shared machine slows both sides alike.
/// </summary>
public sealed class HitOverheadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _crate = new("cf-small");
    private WrapperDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await WrapperDaemon.StartAsync();

    [Fact]
    public async Task A_small_crates_hit_is_cheaper_than_compiling_it()
    {
        File.WriteAllText(_crate.Combine("lib.rs"), "pub fn add(a: u32, b: u32) -> u32 { a + b }\npub const NAME: &str = \"small\";\n");
        Directory.CreateDirectory(_crate.Combine("out"));
        string[] args = [RustTools.ToolchainRustc, "--crate-name", "small", "--edition=2021", "lib.rs", "--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
            "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C", "metadata=5ma11", "-C", "extra-filename=-5ma11", "--out-dir", _crate.Combine("out"),
            "-L", "dependency=" + _crate.Combine("out")];
        var env = new Dictionary<string, string?>(_daemon.Environment) { ["PATH"] = RustTools.SearchPath, ["CACHEFARM_LOG"] = _crate.Combine("wrapper.log") };
        var miss = await ProcessRun.RunAsync(RepoPaths.ClientBinary, args, _crate.Path, env);
        Assert.Equal(0, miss.ExitCode);

        var recompiles = await MedianRunAsync(args, new Dictionary<string, string?>(env) { ["CACHEFARM_RECACHE"] = "1" }, 15);
        var hits = await MedianRunAsync(args, env, 41);
        output.WriteLine($"small crate: median hit {hits.Median:0.0} ms (min {hits.Min:0.0}), median compile through the wrapper {recompiles.Median:0.0} ms");

        var log = WrapperLogEntry.ReadAll(_crate.Combine("wrapper.log"));
        Assert.Equal(["miss", .. Enumerable.Repeat("miss", 15), .. Enumerable.Repeat("hit", 41)], log.Select(l => l.Outcome));
        // The target is a 10 ms median on an idle machine (perf/run-hit-latency.sh); on a shared, loaded one only the relation is stable.
        Assert.True(hits.Median < recompiles.Median, $"median hit {hits.Median:0.0} ms vs compile {recompiles.Median:0.0} ms");
    }

    private async Task<(double Median, double Min)> MedianRunAsync(string[] args, Dictionary<string, string?> env, int runs)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            File.Delete(_crate.Combine("out", "libsmall-5ma11.rlib"));
            var clock = Stopwatch.StartNew();
            var run = await ProcessRun.RunAsync(RepoPaths.ClientBinary, args, _crate.Path, env);
            samples.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(0, run.ExitCode);
            Assert.True(File.Exists(_crate.Combine("out", "libsmall-5ma11.rlib")));
        }
        samples.Sort();
        return (samples[samples.Count / 2], samples[0]);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _crate.Dispose();
    }
}
