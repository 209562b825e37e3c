using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Xunit.Abstractions;

namespace CacheFarm.Daemon.Tests;

public sealed class EvictionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StreamingFourTimesTheCapacityKeepsTheDiskCappedAndTheHotSetAlive()
    {
        const long capacity = 512L << 20;
        const long segment = 64L << 20;
        const int blobBytes = 1 << 20;
        const int streamed = 2048;
        using var dir = new TempDirectory("cfe");
        await using var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "512M", "--checkpoint-interval", "5");
        var invoker = daemon.Invoker;
        var hot = Enumerable.Range(0, 20).Select(i => BlobData.Random(blobBytes, seed: 10_000 + i)).ToArray();
        foreach (var blob in hot)
        {
            await RawBlobCalls.WriteAsync(invoker, "", blob);
        }
        var maxDisk = 0L;
        var next = 0;
        var writers = Enumerable.Range(0, 4).Select(async _ =>
        {
            var data = new byte[blobBytes];
            var random = new Random();
            int n;
            while ((n = Interlocked.Increment(ref next)) <= streamed)
            {
                random.NextBytes(data);
                await RawBlobCalls.WriteAsync(invoker, "", data);
                if (n % 64 == 0)
                {
                    // The hot set is read all through the stream, as a build's common crates would be.
                    foreach (var blob in hot)
                    {
                        Assert.Equal(blob.Length, (await RawBlobCalls.ReadAsync(invoker, "", ContentDigest.Of(blob).ToProto())).Length);
                    }
                    var disk = DirectorySize.Bytes(dir.Path);
                    InterlockedMax(ref maxDisk, disk);
                }
            }
        }).ToArray();
        await Task.WhenAll(writers);
        // Truncation follows the next checkpoint by about a second.
        await Task.Delay(TimeSpan.FromSeconds(7));
        var finalDisk = DirectorySize.Bytes(dir.Path);
        output.WriteLine($"max data dir {maxDisk >> 20} MiB during the stream, {finalDisk >> 20} MiB after; cap {capacity >> 20} MiB + segment {segment >> 20} MiB");
        foreach (var blob in hot)
        {
            Assert.Equal(blob, await RawBlobCalls.ReadAsync(invoker, "", ContentDigest.Of(blob).ToProto()));
        }
        using var client = daemon.Client();
        var local = (await client.Admin.GetStatsAsync(default)).Tiers.Single(t => t.Name == "local");
        output.WriteLine($"evictions {local.Evictions}, evicted {local.EvictedBytes >> 20} MiB, size {local.SizeBytes >> 20} MiB");
        Assert.True(local.EvictedBytes > capacity, "the stream should have forced evictions");
        Assert.True(maxDisk <= capacity + segment, $"data dir reached {maxDisk >> 20} MiB");
        Assert.True(finalDisk <= capacity + segment, $"data dir ended at {finalDisk >> 20} MiB");
    }

    [Fact]
    public async Task A_blob_found_present_before_it_was_evicted_is_missing_afterwards()
    {
        const int blobBytes = 1 << 20;
        using var dir = new TempDirectory("cfe");
        await using var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "256M", "--checkpoint-interval", "1");
        var invoker = daemon.Invoker;
        var early = BlobData.Random(blobBytes, seed: 42);
        var digest = ContentDigest.Of(early).ToProto();
        await RawBlobCalls.WriteAsync(invoker, "", early);
        // Looked up while present, so the daemon has its manifest in hand when the log moves past it.
        Assert.Empty(await RawBlobCalls.FindMissingAsync(invoker, "", digest));
        Assert.Equal(early, await RawBlobCalls.ReadAsync(invoker, "", digest));

        var data = new byte[blobBytes];
        var random = new Random(7);
        for (var i = 0; i < 768; i++)
        {
            random.NextBytes(data);
            await RawBlobCalls.WriteAsync(invoker, "", data);
        }
        // The log's start moves at the next checkpoint.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await RawBlobCalls.FindMissingAsync(invoker, "", digest)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal([digest], await RawBlobCalls.FindMissingAsync(invoker, "", digest));
        var read = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => RawBlobCalls.ReadAsync(invoker, "", digest));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, read.StatusCode);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
