using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Daemon.Tests;

/// <summary>An <c>rm -rf</c> of the cache while its daemon runs, as users clear a cache.</summary>
public sealed class RemovedDataDirectoryTests
{
    private static readonly TimeSpan NoticeWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RemovingTheDataDirectoryStopsTheDaemonAndAFreshDaemonStartsEmptyThere()
    {
        using var dir = new TempDirectory("cfrm");
        var data = dir.Combine("data");
        string[] args = ["--capacity", "1G", "--checkpoint-interval", "1", "--socket", Path.Combine(data, "cachefarmd.sock")];
        var before = BlobData.Random(300_000, seed: 1);
        var after = BlobData.Random(300_000, seed: 2);

        await using (var old = await DaemonProcess.StartAsync(data, args))
        {
            await RawBlobCalls.WriteAsync(old.Invoker, "", before);
            Directory.Delete(data, recursive: true);
            using var timeout = new CancellationTokenSource(NoticeWithin);
            await old.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, old.ExitCode);
            Assert.Contains("the data directory was removed", old.Output, StringComparison.Ordinal);
        }

        // The stopping daemon wrote no checkpoint where the directory was: the fresh one starts empty and sound.
        await using (var fresh = await DaemonProcess.StartAsync(data, args))
        {
            Assert.Single(await RawBlobCalls.FindMissingAsync(fresh.Invoker, "", ContentDigest.Of(before).ToProto()));
            await RawBlobCalls.WriteAsync(fresh.Invoker, "", after);
            await fresh.StopAsync();
            Assert.Equal(0, fresh.ExitCode);
        }
        await using var restarted = await DaemonProcess.StartAsync(data, args);
        Assert.Equal(after, await RawBlobCalls.ReadAsync(restarted.Invoker, "", ContentDigest.Of(after).ToProto()));
    }

    // A daemon stopping after its directory was removed unlinks the socket path it bound, which a fresh daemon
    // may own by then. The fresh daemon then stops with a checkpoint, and the next client starts it again.
    [Fact]
    public async Task RemovingTheSocketStopsTheDaemonWithACheckpointOfEverythingStored()
    {
        using var dir = new TempDirectory("cfrs");
        var socket = dir.Combine("cachefarmd.sock");
        string[] args = ["--capacity", "1G", "--socket", socket];
        var blob = BlobData.Random(300_000, seed: 3);

        await using (var daemon = await DaemonProcess.StartAsync(dir.Path, args))
        {
            await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
            File.Delete(socket);
            using var timeout = new CancellationTokenSource(NoticeWithin);
            await daemon.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, daemon.ExitCode);
            Assert.Contains($"the socket {socket} was removed", daemon.Output, StringComparison.Ordinal);
        }
        await using var restarted = await DaemonProcess.StartAsync(dir.Path, args);
        Assert.Equal(blob, await RawBlobCalls.ReadAsync(restarted.Invoker, "", ContentDigest.Of(blob).ToProto()));
    }
}
