using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Tests;

/// <summary>StoreCompile: a compile handed to the local daemon is checked at once and stored after the answer.</summary>
public sealed class HandedOverCompileTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cfho");
    private DaemonProcess? _daemon;

    private LocalSocket Socket => new(_dir.Combine("d.sock"));

    public async Task InitializeAsync() => _daemon = await StartAsync();

    [Fact]
    public async Task A_handed_over_compile_is_found_by_the_next_lookup_even_when_the_build_deleted_its_files_at_once()
    {
        var rlib = BlobData.Random(3 << 20, seed: 31);
        var rmeta = BlobData.Random(20_000, seed: 32);
        var depInfo = "$ROOT/src/lib.rs:\n"u8.ToArray();
        var request = Compile("a", ("libx.rlib", rlib), ("libx.rmeta", rmeta));
        request.Blobs.Add(new BatchUpdateBlobsRequest.Types.Item { Digest = ContentDigest.Of(depInfo).ToProto(), Data = ByteString.CopyFrom(depInfo) });
        request.Entries[0].Entry.Outputs.Add(new OutputFile { Path = "x.d", Digest = ContentDigest.Of(depInfo).ToProto() });
        using var fast = Socket.FastPath();

        var answer = fast.Call(FastPathOp.StoreCompile, request, default);
        // cargo clean, or the next build replacing the outputs, right after the wrapper exits.
        foreach (var file in request.Files)
        {
            File.Delete(file.Path);
        }

        Assert.Equal(StatusCode.OK, answer.Status);
        using var local = Socket.Client();
        var entry = await local.GetEntryAsync(Key("a"), default);
        Assert.NotNull(entry);
        Assert.Equal(3, entry.Outputs.Count);
        Assert.Equal("manifest a", (await local.GetEntryAsync(Key("a", manifest: true), default))!.Stdout.ToStringUtf8());
        var restored = _dir.Combine("restored.rlib");
        Assert.True(await local.RestoreFileAsync(ContentDigest.Of(rlib), restored, executable: false, default));
        Assert.Equal(rlib, await File.ReadAllBytesAsync(restored));
        Assert.Equal(depInfo, (await local.BatchReadAsync([ContentDigest.Of(depInfo)], default))[ContentDigest.Of(depInfo)]);
        var stats = await local.Admin.GetStatsAsync(default);
        Assert.Equal(1, stats.Requests.DeferredStores);
        Assert.Equal(0, stats.Requests.DeferredStoreFailures);
        Assert.Equal(2, stats.Requests.EntryPuts);
    }

    [Fact]
    public async Task A_file_whose_bytes_no_longer_match_its_digest_fails_the_later_check_and_no_entry_is_stored()
    {
        var request = Compile("b", ("liby.rlib", BlobData.Random(2 << 20, seed: 33)));
        // Same size, other bytes: what a file rewritten in place after the compile looks like.
        await File.WriteAllBytesAsync(request.Files[0].Path, BlobData.Random(2 << 20, seed: 34));
        using var fast = Socket.FastPath();

        Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);

        using var local = Socket.Client();
        Assert.Null(await local.GetEntryAsync(Key("b"), default));
        Assert.Null(await local.GetEntryAsync(Key("b", manifest: true), default));
        Assert.Single(await local.FindMissingAsync([request.Files[0].Digest], default));
        var stats = await local.Admin.GetStatsAsync(default);
        Assert.Equal(1, stats.Requests.DeferredStoreFailures);
        Assert.Equal(0, stats.Requests.EntryPuts);
        Assert.True(await _daemon!.PrintedAsync("not stored", TimeSpan.FromSeconds(10)), _daemon.Output);
        // The wrapper has gone by then, so the daemon's count is what --show-stats reports.
        var shown = await ProcessRun.RunAsync(RepoPaths.Binary("cachefarm"), ["--show-stats"], _dir.Path, new Dictionary<string, string?> { ["CACHEFARM_ENDPOINT"] = Socket.Endpoint });
        Assert.Matches(@"Cache write errors\s+1\n", shown.Stdout);
    }

    [Fact]
    public async Task A_hand_over_naming_a_bad_path_size_or_key_is_refused_in_the_answer_and_nothing_is_queued()
    {
        using var fast = Socket.FastPath();
        var relative = Compile("c", ("libz.rlib", BlobData.Random(10_000, seed: 35)));
        relative.Files[0].Path = "libz.rlib";
        var missing = Compile("d", ("libw.rlib", BlobData.Random(10_000, seed: 36)));
        File.Delete(missing.Files[0].Path);
        var resized = Compile("e", ("libv.rlib", BlobData.Random(10_000, seed: 37)));
        await File.AppendAllTextAsync(resized.Files[0].Path, "more");
        var badKey = Compile("f", ("libu.rlib", BlobData.Random(10_000, seed: 38)));
        badKey.Entries[0].Key = "not-a-key";
        var unsafePath = Compile("g", ("libt.rlib", BlobData.Random(10_000, seed: 39)));
        unsafePath.Entries[0].Entry.Outputs[0].Path = "../escape";

        Assert.Equal(StatusCode.InvalidArgument, fast.Call(FastPathOp.StoreCompile, relative, default).Status);
        Assert.Equal(StatusCode.NotFound, fast.Call(FastPathOp.StoreCompile, missing, default).Status);
        var sizeAnswer = fast.Call(FastPathOp.StoreCompile, resized, default);
        Assert.Equal(StatusCode.InvalidArgument, sizeAnswer.Status);
        Assert.Contains("the digest says", System.Text.Encoding.UTF8.GetString(sizeAnswer.Body), StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, fast.Call(FastPathOp.StoreCompile, badKey, default).Status);
        Assert.Equal(StatusCode.InvalidArgument, fast.Call(FastPathOp.StoreCompile, unsafePath, default).Status);

        using var local = Socket.Client();
        var stats = await local.Admin.GetStatsAsync(default);
        Assert.Equal(0, stats.Requests.DeferredStores);
        Assert.Equal(0, stats.Requests.BlobWrites);
    }

    [Fact]
    public async Task Compiles_handed_over_just_before_a_stop_are_stored_before_the_daemon_exits()
    {
        const int compiles = 40;
        // Files first, then the hand-overs back to back and the stop right after: most are still queued then.
        var requests = Enumerable.Range(0, compiles).Select(i => Compile($"s{i}", ($"lib{i}.rlib", BlobData.Random(4 << 20, seed: 100 + i)))).ToList();
        using (var fast = Socket.FastPath())
        {
            foreach (var request in requests)
            {
                Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);
            }
        }

        await _daemon!.StopAsync();
        await _daemon.DisposeAsync();
        _daemon = await StartAsync();

        using var local = Socket.Client();
        for (var i = 0; i < compiles; i++)
        {
            Assert.NotNull(await local.GetEntryAsync(Key($"s{i}"), default));
        }
    }

    // The build's rustc processes get the CPU first: with every core busy, nothing is stored while hand-overs keep
    // coming, and all of it once they have paused for StorePacing.LongPause. Stats calls are not lookups, so
    // watching does not hurry the stores.
    [Fact]
    public async Task With_every_core_busy_handed_over_compiles_wait_while_more_arrive_and_are_stored_after_a_pause()
    {
        const int compiles = 6;
        var requests = Enumerable.Range(0, compiles).Select(i => Compile($"p{i}", ($"libp{i}.rlib", BlobData.Random(1 << 20, seed: 200 + i)))).ToList();
        using var local = Socket.Client();
        using var load = BusyCores.Start();
        using (var fast = Socket.FastPath())
        {
            foreach (var request in requests)
            {
                Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);
                var during = (await local.Admin.GetStatsAsync(default)).Requests;
                Assert.Equal(0, during.BlobWrites);
                Assert.Equal(requests.IndexOf(request) + 1, during.DeferredStoresQueued);
                await Task.Delay(LongPause / 10);
            }
        }

        var deadline = DateTime.UtcNow + LongPause + TimeSpan.FromSeconds(30);
        while ((await local.Admin.GetStatsAsync(default)).Requests.DeferredStoresQueued > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the queued compiles were not stored after the hand-overs paused");
            await Task.Delay(100);
        }
        var after = (await local.Admin.GetStatsAsync(default)).Requests;
        Assert.Equal(compiles, after.BlobWrites);
        Assert.Equal(2 * compiles, after.EntryPuts);
        Assert.Equal(0, after.DeferredStoreFailures);
    }

    // Once the build is over, the queue is stored back to back: one check of the CPU per store held the daemon to
    // five stores a second, and a cold build's hundred compiles to the full pause.
    [Fact]
    public async Task With_a_core_spare_a_queue_of_handed_over_compiles_is_stored_well_within_the_pause()
    {
        const int compiles = 40;
        var requests = Enumerable.Range(0, compiles).Select(i => Compile($"r{i}", ($"libr{i}.rlib", BlobData.Random(16 << 10, seed: 400 + i)))).ToList();
        using var local = Socket.Client();
        using (var fast = Socket.FastPath())
        {
            foreach (var request in requests)
            {
                Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);
            }
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await local.Admin.GetStatsAsync(default)).Requests.DeferredStoresQueued > 0)
        {
            Assert.True(clock.Elapsed < LongPause + TimeSpan.FromSeconds(30), "the queued compiles were never stored");
            await Task.Delay(50);
        }
        Assert.True(clock.Elapsed < LongPause / 2, $"storing {compiles} compiles after the last hand-over took {clock.Elapsed}");
        Assert.Equal(compiles * 2, (await local.Admin.GetStatsAsync(default)).Requests.EntryPuts);
    }

    [Fact]
    public async Task A_lookup_of_a_queued_compile_has_it_stored_at_once_even_with_every_core_busy()
    {
        var request = Compile("q", ("libq.rlib", BlobData.Random(2 << 20, seed: 300)));
        using var fast = Socket.FastPath();
        using var local = Socket.Client();
        using var load = BusyCores.Start();
        Assert.Equal(StatusCode.OK, fast.Call(FastPathOp.StoreCompile, request, default).Status);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.NotNull(await local.GetEntryAsync(Key("q"), default));
        Assert.True(clock.Elapsed < LongPause / 2, $"the lookup took {clock.Elapsed}: it waited for the pause instead of hurrying the store");
        Assert.Equal(0, (await local.Admin.GetStatsAsync(default)).Requests.DeferredStoresQueued);
    }

    // StorePacing.LongPause: after a pause in hand-overs this long the daemon stores whatever the load.
    private static readonly TimeSpan LongPause = TimeSpan.FromSeconds(5);

    // A compile whose outputs are files in the test directory, with its entry and manifest.
    private StoreCompileRequest Compile(string name, params (string File, byte[] Data)[] outputs)
    {
        var request = new StoreCompileRequest();
        var entry = new Entry { Stdout = ByteString.CopyFromUtf8("compiled " + name) };
        foreach (var (file, data) in outputs)
        {
            var path = _dir.Combine(name + "-" + file);
            File.WriteAllBytes(path, data);
            var digest = ContentDigest.Of(data).ToProto();
            request.Files.Add(new FileBlobRequest { Digest = digest, Path = path });
            entry.Outputs.Add(new OutputFile { Path = file, Digest = digest });
        }
        request.Entries.Add(new PutEntryRequest { Key = Key(name), Entry = entry });
        request.Entries.Add(new PutEntryRequest { Key = Key(name, manifest: true), Entry = new Entry { Stdout = ByteString.CopyFromUtf8("manifest " + name) } });
        return request;
    }

    private static string Key(string name, bool manifest = false) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes((manifest ? "manifest:" : "entry:") + name)));

    private Task<DaemonProcess> StartAsync() => DaemonProcess.StartAsync(_dir.Combine("data"), "--socket", Socket.Path);

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        _dir.Dispose();
    }
}
