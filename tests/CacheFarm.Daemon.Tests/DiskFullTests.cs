using System.Diagnostics;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

public sealed class DiskFullTests
{
    [Fact]
    public async Task FullDiskRefusesWritesCleanlyWhileReadsGoOn()
    {
        using var mountPoint = new TempDirectory("cff");
        // A small tmpfs is a real disk that really fills up; the tier's capacity is set far above it.
        Run("mount", "-t", "tmpfs", "-o", "size=400m", "tmpfs", mountPoint.Path);
        try
        {
            await using var daemon = await DaemonProcess.StartAsync(mountPoint.Combine("data"), "--capacity", "1G");
            var stored = new List<byte[]>();
            RpcException? refusal = null;
            for (var i = 0; i < 400 && refusal is null; i++)
            {
                var blob = BlobData.Random(1 << 20, seed: i);
                try
                {
                    await RawBlobCalls.WriteAsync(daemon.Invoker, "", blob);
                    stored.Add(blob);
                }
                catch (RpcException e)
                {
                    refusal = e;
                }
            }
            Assert.NotNull(refusal);
            Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
            Assert.Contains("disk full", refusal.Status.Detail);
            Assert.NotEmpty(stored);
            foreach (var blob in stored)
            {
                Assert.Equal(blob, await RawBlobCalls.ReadAsync(daemon.Invoker, "", ContentDigest.Of(blob).ToProto()));
            }
            Assert.False(daemon.HasExited);
            await daemon.KillAsync();
        }
        finally
        {
            Run("umount", "-l", mountPoint.Path);
        }
    }

    private static void Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed (needs root): {error}");
    }
}
