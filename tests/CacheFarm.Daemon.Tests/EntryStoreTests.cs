using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

public sealed class EntryStoreTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private static string Key(int n) => ContentDigest.Of(BitConverter.GetBytes(n)).Hex;

    [Fact]
    public async Task EntryRoundTripsWithOutputsOutputAndMetadata()
    {
        using var client = fixture.Daemon.Client("entries");
        var rlib = BlobData.Random(200_000, seed: 1);
        var digest = ContentDigest.Of(rlib);
        await client.UploadAsync(digest, new MemoryStream(rlib), default);
        var entry = new Entry
        {
            ExitCode = 0,
            Stdout = Google.Protobuf.ByteString.CopyFromUtf8("{\"reason\":\"compiler-artifact\"}\n"),
            Stderr = Google.Protobuf.ByteString.CopyFromUtf8("warning: unused variable\n"),
            Metadata = new EntryMetadata { Tool = "rustc 1.95.0", CompileDurationUs = 1_234_567, Host = "ci-1" },
        };
        entry.Outputs.Add(new OutputFile { Path = "deps/libcore-abc.rlib", Digest = digest.ToProto() });
        await client.PutEntryAsync(Key(1), entry, default);
        var got = await client.GetEntryAsync(Key(1), default);
        Assert.Equal(entry, got);
    }

    [Fact]
    public async Task MissingEntryIsNotFound()
    {
        using var client = fixture.Daemon.Client("entries");
        Assert.Null(await client.GetEntryAsync(Key(999), default));
    }

    [Fact]
    public async Task EntryNamingAnAbsentBlobIsRefusedWithFailedPrecondition()
    {
        using var client = fixture.Daemon.Client("entries");
        var entry = new Entry();
        entry.Outputs.Add(new OutputFile { Path = "out.rlib", Digest = ContentDigest.Of(BlobData.Random(10, 2)).ToProto() });
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PutEntryAsync(Key(2), entry, default));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("out.rlib", ex.Status.Detail);
        Assert.Null(await client.GetEntryAsync(Key(2), default));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../x")]
    [InlineData("deps/../../x")]
    [InlineData("")]
    public async Task EntryWithAnUnsafeOutputPathIsRefused(string path)
    {
        using var client = fixture.Daemon.Client("entries");
        var entry = new Entry();
        entry.Outputs.Add(new OutputFile { Path = path, Digest = ContentDigest.Empty.ToProto() });
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PutEntryAsync(Key(3), entry, default));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("entry.outputs[0].path", ex.Status.Detail);
    }

    [Fact]
    public async Task MalformedKeyIsInvalidArgument()
    {
        using var client = fixture.Daemon.Client("entries");
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.GetEntryAsync("not-a-key", default));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("key", ex.Status.Detail);
    }

    [Fact]
    public async Task NamespacesNeverSeeEachOthersEntries()
    {
        using var a = fixture.Daemon.Client("ns-a");
        using var b = fixture.Daemon.Client("ns-b");
        var entry = new Entry { ExitCode = 0, Stdout = Google.Protobuf.ByteString.CopyFromUtf8("a") };
        await a.PutEntryAsync(Key(4), entry, default);
        Assert.NotNull(await a.GetEntryAsync(Key(4), default));
        Assert.Null(await b.GetEntryAsync(Key(4), default));
    }

    [Fact]
    public async Task CompileRecordsShowUpInStats()
    {
        using var client = fixture.Daemon.Client();
        await client.Admin.ZeroStatsAsync(default);
        await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Hit, SavedUs = 2_000_000, HitTier = "local" }, default);
        await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.Miss, CompileUs = 1_000_000 }, default);
        await client.Admin.RecordCompileAsync(new CompileRecord { Outcome = CompileOutcome.NotCacheable, Reason = "-" }, default);
        var stats = (await client.Admin.GetStatsAsync(default)).Compiles;
        Assert.Equal(3, stats.CompileRequests);
        Assert.Equal(1, stats.CacheHits);
        Assert.Equal(1, stats.CacheMisses);
        Assert.Equal(1, stats.NonCacheableReasons["-"]);
        Assert.Equal(2_000_000, stats.TotalSavedUs);
    }
}
