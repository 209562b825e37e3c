using System.Diagnostics;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task StatusShowsTiersAndTheSameHitRatesAsTheMetricsEndpoint()
    {
        using var dir = new TempDirectory("cfst");
        await using var daemon = await DaemonProcess.StartWithMetricsAsync(dir.Path);
        var blob = BlobData.Random(50_000, seed: 2);
        await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
        for (var i = 0; i < 3; i++)
        {
            await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(blob).ToProto());
        }
        using (var client = daemon.Client())
        {
            foreach (var outcome in new[] { CompileOutcome.Hit, CompileOutcome.Hit, CompileOutcome.Hit, CompileOutcome.Miss })
            {
                await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = outcome, SavedUs = outcome == CompileOutcome.Hit ? 1_000_000 : 0 }, default);
            }
        }

        var start = new ProcessStartInfo(RepoPaths.Binary("cachefarm")) { RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { "status" } };
        start.Environment["CACHEFARM_ENDPOINT"] = $"http://127.0.0.1:{daemon.Port}";
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());

        var scrape = await PrometheusScrape.FetchAsync(daemon.MetricsPort!.Value);
        var hits = scrape.Value("cachefarm_build_compiles_total", ("outcome", "hit"));
        var misses = scrape.Value("cachefarm_build_compiles_total", ("outcome", "miss"));
        Assert.Equal(0.75, hits / (hits + misses));
        Assert.Contains("compile hits   75.0 %  (3 of 4)", text);
        Assert.Contains("blob hits     100.0 %  (3 of 3)", text);
        Assert.Contains("time saved   3.0 s", text);
        Assert.Matches(@"local\s+healthy\s+read-write", text);
        Assert.Contains("queued 0 handed-over compile(s) not stored yet", text);
        Assert.Contains($"pid {daemon.Pid}", text);
    }
}
