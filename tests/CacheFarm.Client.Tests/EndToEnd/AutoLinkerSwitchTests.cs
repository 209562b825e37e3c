using System.Globalization;
using System.Text;
using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// Under CACHEFARM_LINKER=auto the linker that runs is a measured choice that can change between builds. A binary
/// linked by mold is never replayed once auto has moved to lld: `cargo clean && cargo build` links it again, and it
/// equals an uncached build linked by lld.
/// </summary>
public sealed class AutoLinkerSwitchTests
{
    private static readonly string[] Linkers = ["default", "mold", "lld", "bfd"];

    private static string WriteApp(string ws)
    {
        Directory.CreateDirectory(Path.Combine(ws, "src"));
        File.WriteAllText(Path.Combine(ws, "Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[profile.dev]\nincremental = false\n");
        File.WriteAllText(Path.Combine(ws, "src", "main.rs"), "fn main() {\n    println!(\"linked {}\", 6 * 7);\n}\n");
        return ws;
    }

    // What auto learned on this host, as shadow links would have measured it: `fastest` links in a third of the time
    // of every other linker, with enough recent samples per pair that nothing is still being measured.
    private static void Learned(string dataDirectory, string fastest)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var samples = new List<string>();
        foreach (var baseline in Linkers)
        {
            foreach (var candidate in Linkers.Where(c => string.CompareOrdinal(c, baseline) > 0))
            {
                for (var i = 0; i < 20; i++)
                {
                    samples.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"baseline\":\"{baseline}\",\"candidate\":\"{candidate}\",\"baselineUs\":{Duration(baseline, fastest)},\"candidateUs\":{Duration(candidate, fastest)},\"atUnixMs\":{now}}}"));
                }
            }
        }
        var json = $"{{\"format\":1,\"samples\":[{string.Join(",", samples)}],\"links\":0,\"choice\":\"{fastest}\",\"choiceReason\":\"\"}}";
        File.WriteAllText(Path.Combine(dataDirectory, "linker-timings.json"), json, new UTF8Encoding(false));
    }

    private static int Duration(string linker, string fastest) => linker == fastest ? 100_000 : 300_000;

    // The .comment strings: rustc's, the C runtime's, and the linker's own (mold and lld write their name and version).
    private static async Task<List<string>> CommentsAsync(string binary)
    {
        var run = await ProcessRun.RunAsync("readelf", ["-p", ".comment", binary], Path.GetDirectoryName(binary)!, new Dictionary<string, string?>());
        Assert.Equal(0, run.ExitCode);
        return [.. run.Stdout.Split('\n').Where(l => l.Contains(']', StringComparison.Ordinal)).Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim()).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_binary_linked_by_mold_is_linked_again_when_auto_moves_to_lld()
    {
        using var work = new TempDirectory("cf-auto-switch");
        await using var daemon = await WrapperDaemon.StartAsync();
        var env = new Dictionary<string, string?> { ["CACHEFARM_LINKER"] = "auto" };
        var ws = WriteApp(work.Combine("ws"));
        Learned(daemon.DataDirectory, "mold");
        await CargoBuild.RunAsync(ws, daemon, env);
        var byMold = await CommentsAsync(Path.Combine(ws, "target", "debug", "app"));

        Learned(daemon.DataDirectory, "lld");
        await CargoBuild.RunAsync(ws, null, null, "clean");
        var rebuilt = await CargoBuild.RunAsync(ws, daemon, env);
        var uncached = WriteApp(work.Combine("uncached"));
        await CargoBuild.RunAsync(uncached, null, new Dictionary<string, string?> { ["RUSTFLAGS"] = "-C linker-features=-lld -C link-arg=-fuse-ld=lld" });

        Assert.Contains(byMold, c => c.StartsWith("mold ", StringComparison.Ordinal));
        Assert.Equal(["app/app"], rebuilt.Units("miss"));
        var byLld = await CommentsAsync(Path.Combine(ws, "target", "debug", "app"));
        Assert.DoesNotContain(byLld, c => c.StartsWith("mold ", StringComparison.Ordinal));
        Assert.Equal(await CommentsAsync(Path.Combine(uncached, "target", "debug", "app")), byLld);
        Assert.Equal(await ProgramOutput.OfBinaryAsync(uncached, "app"), await ProgramOutput.OfBinaryAsync(ws, "app"));
    }
}
