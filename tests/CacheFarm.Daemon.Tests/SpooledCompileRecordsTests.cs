using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

public sealed class SpooledCompileRecordsTests
{
    [Fact]
    public async Task Records_left_before_the_start_and_while_it_runs_are_counted_once_and_removed_with_abandoned_temporary_files()
    {
        using var dir = new TempDirectory("cfspool");
        var data = dir.Combine("data");
        Directory.CreateDirectory(data);
        Assert.True(CompileRecordSpool.TryWrite(data, new CompileRecord { Outcome = CompileOutcome.NotCacheable, Reason = "missing input" }));
        Assert.True(CompileRecordSpool.TryWrite(data, new CompileRecord { Outcome = CompileOutcome.Hit, Language = "Rust" }));
        File.WriteAllText(Path.Combine(CompileRecordSpool.DirectoryIn(data), "torn.record"), "\u00ff\u00ff not a record");
        // A writer killed before its rename left this one long ago; the other may still be renamed.
        var abandoned = Path.Combine(CompileRecordSpool.DirectoryIn(data), "1-abandoned.tmp");
        var inFlight = Path.Combine(CompileRecordSpool.DirectoryIn(data), "2-writing.tmp");
        File.WriteAllBytes(abandoned, []);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - TimeSpan.FromMinutes(5));
        File.WriteAllBytes(inFlight, []);

        await using var daemon = await DaemonProcess.StartAsync(data, "--socket", dir.Combine("d.sock"));
        var atStart = (await daemon.Client().Admin.GetStatsAsync(default)).Compiles;
        Assert.Equal(1, atStart.NonCacheableCalls);
        Assert.Equal(1, atStart.CacheHits);

        Assert.True(CompileRecordSpool.TryWrite(data, new CompileRecord { Outcome = CompileOutcome.Hit, Language = "Rust" }));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        CompileStats later;
        while ((later = (await daemon.Client().Admin.GetStatsAsync(default)).Compiles).CacheHits < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(2, later.CacheHits);
        Assert.Equal(1, later.NonCacheableCalls);
        Assert.Equal([inFlight], Directory.GetFiles(CompileRecordSpool.DirectoryIn(data)));
    }
}
