using System.Security.Cryptography;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;
using Xunit.Abstractions;

namespace CacheFarm.Daemon.Tests;

public sealed class RecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GracefulRestartServesEveryBlobWritten()
    {
        using var dir = new TempDirectory("cfr");
        var blobs = Enumerable.Range(0, 60).Select(i => BlobData.Random((i * 37_000) + 1, seed: i)).ToArray();
        await using (var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "1G"))
        {
            foreach (var blob in blobs)
            {
                await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
            }
            await daemon.StopAsync();
            Assert.Equal(0, daemon.ExitCode);
        }
        await using (var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "1G"))
        {
            foreach (var blob in blobs)
            {
                Assert.Equal(blob, await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(blob).ToProto()));
            }
        }
    }

    [Fact]
    public async Task KillDuringWritesLosesOnlyWhatCameAfterTheLastCheckpointAndNeverServesACorruptByte()
    {
        using var dir = new TempDirectory("cfk");
        var before = Enumerable.Range(0, 40).Select(i => BlobData.Random(1 << 20, seed: 500 + i)).ToArray();
        var during = Enumerable.Range(0, 200).Select(i => BlobData.Random((1 << 20) + i, seed: 900 + i)).ToArray();
        await using (var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "2G", "--checkpoint-interval", "1"))
        {
            foreach (var blob in before)
            {
                await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
            }
            var acknowledged = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var client = daemon.Client();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await client.Admin.GetStatsAsync(default)).Tiers.Single(t => t.Name == "local").LastCheckpointUnixMs <= acknowledged)
            {
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint within 30 s");
                await Task.Delay(100);
            }
            var writing = Task.Run(async () =>
            {
                foreach (var blob in during)
                {
                    try
                    {
                        await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob, 256 << 10);
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                }
            });
            await Task.Delay(1500);
            await daemon.KillAsync();
            await writing;
        }
        await using (var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "2G"))
        {
            foreach (var blob in before)
            {
                Assert.Equal(blob, await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(blob).ToProto()));
            }
            var survived = 0;
            foreach (var blob in during)
            {
                var digest = ContentDigest.Of(blob);
                try
                {
                    var read = await RawBlobCalls.ReadAsync(daemon.Invoker, "", digest.ToProto());
                    Assert.Equal(digest.Hex, Convert.ToHexStringLower(SHA256.HashData(read)));
                    survived++;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    // Written after the last checkpoint: a miss, which is all a cache owes.
                }
            }
            output.WriteLine($"{survived} of the blobs written during the kill window survived intact; the rest read as misses");
            var fresh = BlobData.Random(3 << 20, seed: 4242);
            await RawBlobCalls.WriteAsync(daemon.Invoker, "", fresh);
            Assert.Equal(fresh, await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(fresh).ToProto()));
        }
    }

    [Fact]
    public async Task SecondDaemonOnTheSameDataDirectoryIsRefused()
    {
        using var dir = new TempDirectory("cfl");
        await using var first = await DaemonProcess.StartAsync(dir.Path);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DaemonProcess.StartAsync(dir.Path));
        Assert.Contains("in use by another cachefarmd", ex.Message);
    }
}
