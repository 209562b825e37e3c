using System.Diagnostics;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;
using Xunit.Abstractions;

namespace CacheFarm.Security.Tests;

public sealed class HostileInputTests(ITestOutputHelper output)
{
    private static readonly Marshaller<byte[]> Raw = new(b => b, b => b);

    private static readonly string[] UnaryMethods =
    [
        "/cachefarm.v1.BlobStore/FindMissingBlobs", "/cachefarm.v1.BlobStore/BatchReadBlobs", "/cachefarm.v1.BlobStore/BatchUpdateBlobs",
        "/cachefarm.v1.EntryStore/GetEntry", "/cachefarm.v1.EntryStore/PutEntry", "/cachefarm.v1.Admin/GetStats", "/cachefarm.v1.Admin/RecordCompile",
    ];

    [Fact]
    public async Task TenThousandMalformedRequestsLeaveTheDaemonHealthyBoundedAndStoringNothingWrong()
    {
        const int total = 10_000;
        using var dir = new TempDirectory("cfhost");
        await using var daemon = await DaemonProcess.StartAsync(dir.Path, "--capacity", "1G", "--stream-idle-timeout", "2");
        var invoker = daemon.Invoker;
        var attempted = new System.Collections.Concurrent.ConcurrentBag<Digest>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            int n;
            while ((n = Interlocked.Increment(ref next)) < total && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await HostileRequestAsync(invoker, n, random, attempted, timeout.Token);
                }
                catch (RpcException)
                {
                    // Refusals are the point; the daemon must answer and stay up.
                }
                catch (OperationCanceledException)
                {
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.True(next >= total, $"only {next} hostile requests ran within the time bound");

        var peakRss = ProcessMemory.PeakRssBytes(daemon.Pid);
        output.WriteLine($"{total} hostile requests in {clock.Elapsed.TotalSeconds:0.0} s; daemon peak RSS {peakRss >> 20} MiB");
        Assert.False(daemon.HasExited);
        Assert.True(peakRss < 500L << 20, $"peak RSS {peakRss >> 20} MiB");

        using var client = daemon.Client();
        var stats = await client.Admin.GetStatsAsync(default);
        Assert.Equal(0, stats.Requests.BlobWrites);
        Assert.Equal(0, stats.Requests.EntryPuts);
        var distinct = attempted.DistinctBy(d => d.Hash + d.SizeBytes).ToList();
        foreach (var batch in distinct.Chunk(1000))
        {
            var missing = await RawBlobCalls.FindMissingAsync(invoker, "", batch);
            Assert.Equal(batch.Length, missing.Count);
        }
        var good = BlobData.Random(100_000, seed: 1);
        await RawBlobCalls.WriteAsync(invoker, "", good);
        Assert.Equal(good, await RawBlobCalls.ReadAsync(invoker, "", ContentDigest.Of(good).ToProto()));
    }

    [Fact]
    public async Task UploadThatGoesQuietIsCutOffAndStoresNothing()
    {
        using var dir = new TempDirectory("cfidle");
        await using var daemon = await DaemonProcess.StartAsync(dir.Path, "--stream-idle-timeout", "1");
        var data = BlobData.Random(3 << 20, seed: 9);
        var digest = ContentDigest.Of(data).ToProto();
        using var call = daemon.Invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, default);
        await call.RequestStream.WriteAsync(new WriteBlobFrame("", digest, PooledChunk.Of(data.AsSpan(0, 1 << 20))));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Single(await RawBlobCalls.FindMissingAsync(daemon.Invoker, "", digest));
    }

    private static async Task HostileRequestAsync(CallInvoker invoker, int n, Random random, System.Collections.Concurrent.ConcurrentBag<Digest> attempted, CancellationToken cancellationToken)
    {
        var options = new CallOptions(cancellationToken: cancellationToken);
        switch (n % 6)
        {
            case 0:
            {
                // Random bytes as the message of a unary call.
                var method = UnaryMethods[random.Next(UnaryMethods.Length)];
                var slash = method.LastIndexOf('/');
                var raw = new Method<byte[], byte[]>(MethodType.Unary, method[1..slash], method[(slash + 1)..], Raw, Raw);
                var payload = new byte[random.Next(0, 4096)];
                random.NextBytes(payload);
                await invoker.AsyncUnaryCall(raw, null, options, payload);
                break;
            }
            case 1:
            {
                // A huge declared size with a few bytes behind it.
                var digest = new Digest { Hash = RandomHex(random), SizeBytes = random.NextInt64(1L << 32, long.MaxValue) };
                attempted.Add(digest);
                await RawBlobCalls.WriteAsync(invoker, "", digest, [new byte[1024]], cancellationToken);
                break;
            }
            case 2:
            {
                // Content that does not match its digest.
                var data = new byte[random.Next(1, 300_000)];
                random.NextBytes(data);
                var digest = new Digest { Hash = RandomHex(random), SizeBytes = data.Length };
                attempted.Add(digest);
                attempted.Add(ContentDigest.Of(data).ToProto());
                await RawBlobCalls.WriteAsync(invoker, "", digest, RawBlobCalls.Frames(data, 64 << 10), cancellationToken);
                break;
            }
            case 3:
            {
                // A truncated stream: the client gives up halfway.
                var data = new byte[200_000];
                random.NextBytes(data);
                var digest = ContentDigest.Of(data).ToProto();
                attempted.Add(digest);
                using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var call = invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, new CallOptions(cancellationToken: abort.Token));
                await call.RequestStream.WriteAsync(new WriteBlobFrame("", digest, PooledChunk.Of(data.AsSpan(0, 50_000))), cancellationToken);
                await abort.CancelAsync();
                break;
            }
            case 4:
            {
                // Entries with path tricks, pointing at blobs that do not exist.
                string[] paths = ["../../x", "/etc/passwd", "a/../../b", "a\\..\\b", "a/\u0000/b", "..\u2215x", "．．/x", "a//b", "./a", "C:\\x", new string('a', 5000)];
                var entry = new Entry();
                entry.Outputs.Add(new OutputFile { Path = paths[random.Next(paths.Length)], Digest = new Digest { Hash = RandomHex(random), SizeBytes = random.Next(1, 1000) } });
                var entries = new EntryStore.EntryStoreClient(invoker);
                await entries.PutEntryAsync(new PutEntryRequest { Key = RandomHex(random), Entry = entry }, options);
                break;
            }
            default:
            {
                // Malformed digests, namespaces and keys in otherwise valid messages.
                var request = new FindMissingBlobsRequest { Namespace = random.Next(2) == 0 ? "../../etc" : "" };
                request.Digests.Add(new Digest { Hash = RandomHex(random)[..random.Next(0, 64)] + "Zz", SizeBytes = random.Next(-5, 5) });
                await invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, options, request);
                break;
            }
        }
    }

    private static string RandomHex(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
