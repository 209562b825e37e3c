using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

public sealed class FastPathTests
{
    [Fact]
    public async Task LocalClientsGetEntriesBlobsAndStatsOverThePrivateFastPathSocket()
    {
        using var dir = new TempDirectory("cffp");
        var socket = dir.Combine("d.sock");
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"), "--socket", socket);
        var fastSocket = FastPathProtocol.SocketFor(socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fastSocket));

        var blob = BlobData.Random(70_000, seed: 4);
        var digest = ContentDigest.Of(blob);
        var key = new string('7', 64);
        using (var writer = daemon.Client())
        {
            await writer.UploadAsync(digest, new MemoryStream(blob), default);
            var entry = new Entry { ExitCode = 0, Stdout = Google.Protobuf.ByteString.CopyFromUtf8("out") };
            entry.Outputs.Add(new OutputFile { Path = "lib.rlib", Digest = digest.ToProto() });
            await writer.PutEntryAsync(key, entry, default);
        }

        using var local = new CacheClient(DaemonEndpoint.Parse("unix:" + socket));
        Assert.Equal("out", (await local.GetEntryAsync(key, default))!.Stdout.ToStringUtf8());
        Assert.Null(await local.GetEntryAsync(new string('8', 64), default));
        var blobs = await local.BatchReadAsync([digest], default);
        Assert.Equal(blob, blobs[digest]);
        await local.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Hit }, default);

        var stats = await daemon.Client().Admin.GetStatsAsync(default);
        // The two lookups, the batch read and the compile record: the fast path served every call of the local client.
        Assert.Equal(4, stats.Requests.FastPathCalls);
        Assert.Equal(1, stats.Compiles.CacheHits);
        Assert.Equal(2, stats.Requests.EntryGets);
        Assert.Equal(1, stats.Requests.EntryHits);
    }

    [Fact]
    public async Task MalformedFastPathRequestsAreAnsweredOrDroppedAndTheDaemonServesOn()
    {
        using var dir = new TempDirectory("cffm");
        var socket = dir.Combine("d.sock");
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"), "--socket", socket);
        var fastSocket = FastPathProtocol.SocketFor(socket);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            raw.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(fastSocket));
            var garbage = new byte[random.Next(1, 64)];
            random.NextBytes(garbage);
            raw.Send(garbage);
            raw.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
        using var local = new CacheClient(DaemonEndpoint.Parse("unix:" + socket));
        var ex = await Assert.ThrowsAsync<RpcException>(() => local.GetEntryAsync("not-hex", default));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        using (var fast = FastPathClient.For(DaemonEndpoint.Parse("unix:" + socket), ClientCredentials.None))
        {
            Assert.NotNull(fast);
            Assert.Equal(StatusCode.NotFound, fast.Call(FastPathOp.GetEntry, new GetEntryRequest { Key = new string('1', 64) }, default).Status);
        }
        Assert.False(daemon.HasExited);
        Assert.NotNull(await daemon.Client().Admin.GetStatsAsync(default));
    }

    [Fact]
    public async Task A_fast_path_call_to_a_daemon_that_stopped_answering_ends_at_its_deadline_and_the_next_call_connects_afresh()
    {
        await using var local = await FastPathDaemon.StartAsync();
        var (daemon, fast) = (local.Daemon, local.Client);
        var request = new GetEntryRequest { Key = new string('1', 64) };
        Assert.Equal(StatusCode.NotFound, fast.Call(FastPathOp.GetEntry, request, default).Status);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (await StoppedProcess.StopAsync(daemon.Pid))
        {
            using var deadline = CallDeadline.Until(DateTime.UtcNow + TimeSpan.FromMilliseconds(300));
            Assert.Throws<TimeoutException>(() => fast.Call(FastPathOp.GetEntry, request, default));
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5));
        // The connection that timed out mid-call is dropped; the next call gets a fresh one and its own answer.
        Assert.Equal(StatusCode.NotFound, fast.Call(FastPathOp.GetEntry, request, default).Status);
    }

    [Fact]
    public async Task A_fast_path_call_outside_any_deadline_is_cut_short_by_its_cancellation()
    {
        await using var local = await FastPathDaemon.StartAsync();
        var fast = local.Client;

        await using (await StoppedProcess.StopAsync(local.Daemon.Pid))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var e = Assert.Throws<IOException>(() => fast.Call(FastPathOp.GetEntry, new GetEntryRequest { Key = new string('2', 64) }, cancel.Token));
            Assert.Contains("cancelled", e.Message);
        }
    }

    [Fact]
    public async Task DaemonWithTokensOffersNoFastPath()
    {
        using var dir = new TempDirectory("cfft");
        var socket = dir.Combine("d.sock");
        var tokens = TokenFile.Write(dir.Path, new TokenFile.Token("ci", "secret", ["read"], ["*"]));
        await using var daemon = await DaemonProcess.StartAsync(dir.Combine("data"), "--socket", socket, "--tokens-file", tokens);
        Assert.True(File.Exists(socket));
        Assert.False(File.Exists(FastPathProtocol.SocketFor(socket)));
    }

    // A daemon of the test's own, with the fast path beside its socket, and a fast-path client of it.
    private sealed class FastPathDaemon(TempDirectory directory, DaemonProcess daemon, FastPathClient client) : IAsyncDisposable
    {
        public DaemonProcess Daemon => daemon;

        public FastPathClient Client => client;

        public static async Task<FastPathDaemon> StartAsync()
        {
            var directory = new TempDirectory("cffp");
            var socket = directory.Combine("d.sock");
            var daemon = await DaemonProcess.StartAsync(directory.Combine("data"), "--socket", socket);
            var client = FastPathClient.For(DaemonEndpoint.Parse("unix:" + socket), ClientCredentials.None) ?? throw new InvalidOperationException($"no fast path beside {socket}");
            return new FastPathDaemon(directory, daemon, client);
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await daemon.DisposeAsync();
            directory.Dispose();
        }
    }
}
