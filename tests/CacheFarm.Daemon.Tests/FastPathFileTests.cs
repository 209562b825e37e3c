using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

/// <summary>The miss path over the fast path: output files go into the cache and come back out by path, checked like any upload.</summary>
public sealed class FastPathFileTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cfff");
    private DaemonProcess? _daemon;

    private LocalSocket Socket => new(_dir.Combine("d.sock"));

    public async Task InitializeAsync() => _daemon = await DaemonProcess.StartAsync(_dir.Combine("data"), "--socket", Socket.Path);

    [Fact]
    public async Task A_local_client_stores_and_restores_an_output_file_by_path_with_its_bytes_and_mode_intact()
    {
        var data = BlobData.Random(3 << 20, seed: 11);
        var digest = ContentDigest.Of(data);
        var source = _dir.Combine("libbig.rlib");
        await File.WriteAllBytesAsync(source, data);
        using var local = Socket.Client();

        Assert.Single(await local.FindMissingAsync([digest.ToProto()], default));
        await local.StoreFileAsync(digest, source, default);
        Assert.Empty(await local.FindMissingAsync([digest.ToProto()], default));
        var entry = new Entry { Stdout = Google.Protobuf.ByteString.CopyFromUtf8("compiled") };
        entry.Outputs.Add(new OutputFile { Path = "libbig.rlib", Digest = digest.ToProto(), Executable = true });
        await local.PutEntryAsync(new string('a', 64), entry, default);
        Assert.Equal("compiled", (await local.GetEntryAsync(new string('a', 64), default))!.Stdout.ToStringUtf8());

        var restored = _dir.Combine("out", ".libbig.rlib.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(restored)!);
        Assert.True(await local.RestoreFileAsync(digest, restored, executable: true, default));
        Assert.Equal(data, await File.ReadAllBytesAsync(restored));
        Assert.Equal(OutputFileMode.Of(executable: true), File.GetUnixFileMode(restored));

        // The bytes never crossed the socket as messages, yet the daemon counted a full write and a full read.
        var stats = await _daemon!.Client().Admin.GetStatsAsync(default);
        // Two FindMissing, StoreFile, PutEntry, GetEntry and RestoreFile: every call went over the fast path.
        Assert.Equal(6, stats.Requests.FastPathCalls);
        Assert.Equal(1, stats.Requests.BlobWrites);
        Assert.Equal(data.Length, stats.Requests.BytesWritten);
        Assert.Equal(data.Length, stats.Requests.BytesRead);
    }

    [Fact]
    public async Task A_restore_never_overwrites_an_existing_file_and_a_missing_blob_creates_nothing()
    {
        var data = BlobData.Random(2 << 20, seed: 12);
        var digest = ContentDigest.Of(data);
        var source = _dir.Combine("lib.rlib");
        await File.WriteAllBytesAsync(source, data);
        using var local = Socket.Client();
        await local.StoreFileAsync(digest, source, default);

        var existing = _dir.Combine("existing");
        await File.WriteAllTextAsync(existing, "keep me");
        var refused = await Assert.ThrowsAsync<RpcException>(() => local.RestoreFileAsync(digest, existing, false, default));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));

        var unknown = ContentDigest.Of(BlobData.Random(2 << 20, seed: 13));
        var target = _dir.Combine("never");
        Assert.False(await local.RestoreFileAsync(unknown, target, false, default));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task The_daemon_refuses_a_file_that_does_not_match_its_digest_or_is_not_named_by_an_absolute_path()
    {
        var data = BlobData.Random(1 << 20, seed: 14);
        var file = _dir.Combine("changed.rlib");
        await File.WriteAllBytesAsync(file, data);
        var claimed = ContentDigest.Of(BlobData.Random(1 << 20, seed: 15));
        using var fast = Socket.FastPath();

        var wrong = fast.Call(FastPathOp.StoreFile, new FileBlobRequest { Digest = claimed.ToProto(), Path = file }, default);
        Assert.Equal(StatusCode.InvalidArgument, wrong.Status);
        var relative = fast.Call(FastPathOp.StoreFile, new FileBlobRequest { Digest = ContentDigest.Of(data).ToProto(), Path = "changed.rlib" }, default);
        Assert.Equal(StatusCode.InvalidArgument, relative.Status);
        Assert.Contains("absolute", System.Text.Encoding.UTF8.GetString(relative.Body), StringComparison.Ordinal);
        var gone = fast.Call(FastPathOp.StoreFile, new FileBlobRequest { Digest = ContentDigest.Of(data).ToProto(), Path = _dir.Combine("missing") }, default);
        Assert.Equal(StatusCode.NotFound, gone.Status);

        using var local = Socket.Client();
        Assert.Single(await local.FindMissingAsync([claimed.ToProto()], default));
        var stats = await local.Admin.GetStatsAsync(default);
        Assert.Equal(0, stats.Requests.BlobWrites);
        Assert.Equal(1, stats.Requests.BlobWriteRejections);
    }

    [Fact]
    public async Task Small_outputs_travel_in_fast_path_batches_each_verified_on_its_own()
    {
        var good = BlobData.Random(40_000, seed: 16);
        var claimed = BlobData.Random(40_000, seed: 17);
        var sent = BlobData.Random(40_000, seed: 18);
        using var local = Socket.Client();

        var rejected = await local.BatchUploadAsync([(ContentDigest.Of(good), good), (ContentDigest.Of(claimed), sent)], default);

        Assert.Single(rejected);
        Assert.Single(await local.FindMissingAsync([ContentDigest.Of(claimed).ToProto()], default));
        Assert.Equal(good, (await local.BatchReadAsync([ContentDigest.Of(good)], default))[ContentDigest.Of(good)]);
        Assert.Equal(3, (await _daemon!.Client().Admin.GetStatsAsync(default)).Requests.FastPathCalls);
    }

    [Fact]
    public async Task A_daemon_that_cannot_see_the_clients_files_still_gets_and_gives_them_through_the_socket()
    {
        var work = _dir.Combine("work");
        Directory.CreateDirectory(work);
        var socket = new LocalSocket(_dir.Combine("apart.sock"));
        await using var apart = await DaemonProcess.StartWithoutSeeingAsync(work, _dir.Combine("apart-data"), "--socket", socket.Path);
        var data = BlobData.Random(3 << 20, seed: 19);
        var digest = ContentDigest.Of(data);
        var source = Path.Combine(work, "libbig.rlib");
        await File.WriteAllBytesAsync(source, data);
        using (var fast = socket.FastPath())
        {
            // The daemon really does not see the file: asked directly, it answers NOT_FOUND.
            var unseen = fast.Call(FastPathOp.StoreFile, new FileBlobRequest { Digest = digest.ToProto(), Path = source }, default);
            Assert.Equal(StatusCode.NotFound, unseen.Status);
        }
        using (var handing = socket.Client())
        {
            // A compile cannot be handed over either: the client is told so and stores it itself.
            var handOver = new StoreCompileRequest();
            handOver.Files.Add(new FileBlobRequest { Digest = digest.ToProto(), Path = source });
            handOver.Entries.Add(new PutEntryRequest { Key = new string('b', 64), Entry = new Entry() });
            Assert.False(handing.TryHandOver(handOver, default));
            Assert.Null(await handing.GetEntryAsync(new string('b', 64), default));
        }
        using var local = socket.Client();

        await local.StoreFileAsync(digest, source, default);
        Assert.Empty(await local.FindMissingAsync([digest.ToProto()], default));

        var restored = Path.Combine(work, ".libbig.rlib.tmp");
        Assert.True(await local.RestoreFileAsync(digest, restored, executable: false, default));
        Assert.Equal(data, await File.ReadAllBytesAsync(restored));
        Assert.Equal(OutputFileMode.Of(executable: false), File.GetUnixFileMode(restored));
        var stats = await local.Admin.GetStatsAsync(default);
        // The raw StoreFile, the hand-over and lookup, then StoreFile and FindMissing: messages still take the fast
        // path. Once StoreFile found the daemon blind to this client's files, the restore did not name a file at
        // all: the bytes the daemon cannot see for itself went through the socket's gRPC.
        Assert.Equal(5, stats.Requests.FastPathCalls);
        Assert.Equal(1, stats.Requests.BlobWrites);
        Assert.Equal(0, stats.Requests.BlobWriteRejections);
        Assert.Equal(0, stats.Requests.DeferredStores);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        _dir.Dispose();
    }
}
