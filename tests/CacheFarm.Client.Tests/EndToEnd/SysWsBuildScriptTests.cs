using System.Globalization;
using CacheFarm.Client.Tests.Support;
using Xunit.Abstractions;

namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>
/// tests/workloads/sys-ws, whose build scripts do native work (cc-rs for ring, blake3 and psm, CMake, bindgen,
/// protoc, a code generator): an uncached build, a cold build, a warm build after <c>cargo clean</c> and a warm
/// build in another directory, each checked against the uncached build.
/// </summary>
public sealed class SysWsBuildScriptTests(ITestOutputHelper output)
{
    private static readonly string Workload = RepoPaths.Workload("sys-ws");

    [Fact]
    public async Task Warm_builds_replay_every_build_script_and_match_the_uncached_build()
    {
        Assert.True(Directory.EnumerateDirectories("/usr/share/cargo/registry", "ring-*").Any(), "sys-ws needs Debian's crate sources: run scripts/setup.sh");
        using var work = new TempDirectory("cf-sysws");
        await using var daemon = await WrapperDaemon.StartAsync();
        var uncachedDir = DirectoryCopy.Run(Workload, work.Combine("uncached"));
        var uncached = await CargoBuild.RunAsync(uncachedDir, null);
        var coldDir = DirectoryCopy.Run(Workload, work.Combine("cold"));
        var cold = await CargoBuild.RunAsync(coldDir, daemon);
        Assert.DoesNotContain(cold.ScriptRuns, r => r.Outcome != "miss");
        var coldOutDirs = OutDirs(coldDir);

        await CargoBuild.RunAsync(coldDir, null, null, "clean");
        var warm = await CargoBuild.RunAsync(coldDir, daemon);
        var elsewhereDir = DirectoryCopy.Run(Workload, work.Combine("another", "place", "ws"));
        var elsewhere = await CargoBuild.RunAsync(elsewhereDir, daemon);

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"uncached {uncached.Run.Elapsed.TotalSeconds:0.0} s, cold {cold.Run.Elapsed.TotalSeconds:0.0} s ({cold.Run.Elapsed / uncached.Run.Elapsed:0.00}x), "
            + $"warm same dir {warm.Run.Elapsed.TotalSeconds:0.0} s ({warm.Run.Elapsed / uncached.Run.Elapsed:0.00}x), "
            + $"warm elsewhere {elsewhere.Run.Elapsed.TotalSeconds:0.0} s ({elsewhere.Run.Elapsed / uncached.Run.Elapsed:0.00}x)\n"
            + $"build scripts: cold {cold.ScriptRuns.Count()} runs; warm {warm.ScriptRuns.Count(r => r.Outcome == "hit")} of {warm.ScriptRuns.Count()} hit; "
            + $"elsewhere {elsewhere.ScriptRuns.Count(r => r.Outcome == "hit")} of {elsewhere.ScriptRuns.Count()} hit; not hit elsewhere: {string.Join(", ", elsewhere.ScriptRuns.Where(r => r.Outcome != "hit"))}");
        output.WriteLine(figures);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sys-ws-figures.txt"), figures + "\n");

        // After cargo clean every build script and every rustc call is served from the cache: nothing runs.
        Assert.True(warm.ScriptRuns.Count() >= 20, warm.ToString());
        Assert.DoesNotContain(warm.Calls, c => c.Outcome is "miss" or "cache-error" || (c.IsBuildScriptRun && c.Outcome != "hit"));
        Assert.Equal(coldOutDirs.Keys.Order(), OutDirs(coldDir).Keys.Order());
        foreach (var (path, bytes) in OutDirs(coldDir))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(coldOutDirs[path]), $"{path} differs from the cold run's");
        }

        // Another checkout: C, assembly, CMake and codegen outputs are path-independent (prefix maps, texts with
        // placeholders) and hit; psm's, whose script deletes CFLAGS, gets its maps from the compiler shims.
        Assert.DoesNotContain(elsewhere.ScriptRuns, r => r.Outcome != "hit");
        Assert.DoesNotContain(elsewhere.Calls, c => c.Outcome == "cache-error");

        // What the elsewhere build restored is what the cold build's real runs wrote, with texts naming the checkout moved to it.
        var restoredElsewhere = OutDirs(elsewhereDir);
        Assert.Equal(coldOutDirs.Keys.Order(), restoredElsewhere.Keys.Order());
        foreach (var (path, bytes) in restoredElsewhere)
        {
            var want = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(coldOutDirs[path]).Replace(coldDir, elsewhereDir, StringComparison.Ordinal));
            Assert.True(bytes.AsSpan().SequenceEqual(coldOutDirs[path]) || bytes.AsSpan().SequenceEqual(want), $"{path} differs from the cold run's");
        }
        // Generated code is byte for byte what an uncached build makes.
        var uncachedOutDirs = OutDirs(uncachedDir);
        foreach (var (path, bytes) in restoredElsewhere.Where(f => f.Key.EndsWith(".rs", StringComparison.Ordinal)))
        {
            Assert.True(uncachedOutDirs.TryGetValue(path, out var want) && bytes.AsSpan().SequenceEqual(want), $"{path} differs from the uncached build's");
        }
        foreach (var dir in new[] { coldDir, elsewhereDir })
        {
            var want = await ProcessRun.RunAsync(Path.Combine(uncachedDir, "target", "debug", "sys-app"), [], uncachedDir, new Dictionary<string, string?>());
            var got = await ProcessRun.RunAsync(Path.Combine(dir, "target", "debug", "sys-app"), [], uncachedDir, new Dictionary<string, string?>());
            Assert.Equal(0, got.ExitCode);
            Assert.Equal(want.Stdout, got.Stdout);
        }
    }

    // Every file under target/debug/build/*/out, by "<package>-<hash>/out/<relative path>".
    private static Dictionary<string, byte[]> OutDirs(string workspace)
    {
        var build = Path.Combine(workspace, "target", "debug", "build");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var outDir in Directory.EnumerateDirectories(build, "out", SearchOption.AllDirectories).Where(d => Path.GetDirectoryName(Path.GetDirectoryName(d)) == build))
        {
            foreach (var file in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(build, file)] = File.ReadAllBytes(file);
            }
        }
        return files;
    }
}
