using System.Diagnostics;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class AdminCliTests
{
    [Fact]
    public async Task StartPutStopStartGetsEveryFileBackByteIdentical()
    {
        using var dir = new TempDirectory("cfc");
        var env = new Dictionary<string, string>
        {
            ["XDG_CACHE_HOME"] = dir.Combine("cache"),
            ["CACHEFARM_LISTEN"] = "none",
            ["CACHEFARM_ENDPOINT"] = "",
        };
        Succeeded(await Cli(env, "--start-server"));
        var files = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var path = dir.Combine($"in-{i}.bin");
            await File.WriteAllBytesAsync(path, BlobData.Random(1 << 20, seed: i));
            files.Add(path);
        }
        var put = await Cli(env, ["blob", "put", .. files]);
        Succeeded(put);
        var digests = put.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ")[0]).ToArray();
        Assert.Equal(200, digests.Length);
        var stop = await Cli(env, "--stop-server");
        Succeeded(stop);
        Assert.Contains("Compile requests", stop.Stdout);

        Succeeded(await Cli(env, "--start-server"));
        try
        {
            var has = await Cli(env, ["blob", "has", .. digests]);
            Succeeded(has);
            for (var i = 0; i < 200; i++)
            {
                var back = dir.Combine($"out-{i}.bin");
                Succeeded(await Cli(env, "blob", "get", digests[i], "-o", back));
                Assert.Equal(await File.ReadAllBytesAsync(files[i]), await File.ReadAllBytesAsync(back));
            }
            var stats = await Cli(env, "--show-stats", "--stats-format", "json");
            Succeeded(stats);
            Assert.Contains("\"cache_location\"", stats.Stdout);
        }
        finally
        {
            await Cli(env, "--stop-server");
        }
    }

    [Fact]
    public async Task CommandsAgainstNoDaemonFailWithAClearMessage()
    {
        using var dir = new TempDirectory("cfn");
        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = dir.Path, ["CACHEFARM_ENDPOINT"] = "" };
        var result = await Cli(env, "--show-stats");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cachefarmd is not running: nothing at {Path.Combine(dir.Path, "cachefarm", "cachefarmd.sock")}", result.Stderr);
        Assert.DoesNotContain("localhost", result.Stderr);
    }

    [Fact]
    public async Task MalformedDigestOnTheCommandLineIsRefused()
    {
        using var dir = new TempDirectory("cfm");
        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = dir.Path, ["CACHEFARM_ENDPOINT"] = "" };
        var result = await Cli(env, "blob", "has", "abc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a digest", result.Stderr);
    }

    private static void Succeeded((int ExitCode, string Stdout, string Stderr) result) =>
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}{result.Stdout}");

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Cli(Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(RepoPaths.Binary("cachefarm"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"cachefarm {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
