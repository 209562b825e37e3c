using System.Diagnostics;
using CacheFarm.Protos.V1;
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

    [Fact]
    public async Task Compiles_handed_over_once_the_disk_is_full_are_counted_as_write_errors_and_the_queue_goes_on()
    {
        using var mountPoint = new TempDirectory("cffh");
        using var outputs = new TempDirectory("cffh-out");
        // The tier keeps two log segments (2 x 128 MiB here) of the disk in reserve: about 128 MiB is usable.
        Run("mount", "-t", "tmpfs", "-o", "size=400m", "tmpfs", mountPoint.Path);
        try
        {
            var socket = new LocalSocket(mountPoint.Combine("d.sock"));
            await using var daemon = await DaemonProcess.StartAsync(mountPoint.Combine("data"), "--capacity", "1G", "--socket", socket.Path);
            const int compiles = 6;
            var keys = new List<string>();
            using (var fast = socket.FastPath())
            {
                for (var i = 0; i < compiles; i++)
                {
                    var data = BlobData.Random(48 << 20, seed: 500 + i);
                    var path = outputs.Combine($"lib{i}.rlib");
                    await File.WriteAllBytesAsync(path, data);
                    var digest = ContentDigest.Of(data).ToProto();
                    var entry = new Entry();
                    entry.Outputs.Add(new OutputFile { Path = $"lib{i}.rlib", Digest = digest });
                    var request = new StoreCompileRequest();
                    request.Files.Add(new FileBlobRequest { Digest = digest, Path = path });
                    keys.Add(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))));
                    request.Entries.Add(new PutEntryRequest { Key = keys[^1], Entry = entry });
                    Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);
                }
            }

            // 288 MiB of outputs do not fit: the first compiles are stored, the rest are not.
            using var local = socket.Client();
            var found = new List<bool>();
            foreach (var key in keys)
            {
                found.Add(await local.GetEntryAsync(key, default) is not null);
            }
            var stats = await local.Admin.GetStatsAsync(default);
            Assert.Equal(compiles, stats.Requests.DeferredStores);
            Assert.Equal(found.Count(f => !f), stats.Requests.DeferredStoreFailures);
            Assert.True(found[0], "the first compile fits and should be stored");
            Assert.Contains(false, found);
            var restored = outputs.Combine("restored");
            Assert.True(await local.RestoreFileAsync(ContentDigest.Of(BlobData.Random(48 << 20, seed: 500)), restored, executable: false, default));
            Assert.Equal(await File.ReadAllBytesAsync(outputs.Combine("lib0.rlib")), await File.ReadAllBytesAsync(restored));
            Assert.False(daemon.HasExited);
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
