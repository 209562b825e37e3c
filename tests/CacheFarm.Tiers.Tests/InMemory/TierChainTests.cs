using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Daemon.Storage.Tiered;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>
/// The tier chain's backfill, write-behind, dedup, breaker and existence cache over memory tiers and a fake clock.
/// The same behaviours against redis-server and s3rver are in the other test classes of this project.
/// </summary>
public sealed class TierChainTests : IAsyncLifetime
{
    private static readonly NamespaceId Ns = NamespaceId.Default;
    private MemoryTierChain _chain = new();

    [Fact]
    public async Task A_blob_found_only_in_the_remote_tier_is_served_whole_and_backfilled_into_the_local_store()
    {
        var data = BlobData.Random(100_000, seed: 1);
        var digest = ContentDigest.Of(data);
        _chain.Remote.Seed(Ns, digest, data);

        Assert.Equal(data, await ReadAsync(digest));

        await WaitUntilAsync(s => s.Tiers[0].Backfills == 1, "the hit was backfilled");
        Assert.Equal(data, _chain.Local.Blob(Ns, digest));
        Assert.Equal(1, _chain.Stats(1).BlobHits);
    }

    [Fact]
    public async Task A_remote_blob_whose_bytes_do_not_match_its_digest_is_a_miss_and_the_damaged_copy_is_deleted()
    {
        var data = BlobData.Random(100_000, seed: 2);
        var digest = ContentDigest.Of(data);
        var damaged = (byte[])data.Clone();
        damaged[500] ^= 1;
        _chain.Remote.Seed(Ns, digest, damaged);

        Assert.Null(await ReadAsync(digest));

        Assert.Null(_chain.Remote.Blob(Ns, digest));
        Assert.Null(_chain.Local.Blob(Ns, digest));
        Assert.Equal(1, _chain.Stats(1).CorruptReads);
        Assert.Equal(0, _chain.Stats(1).BlobHits);
    }

    [Fact]
    public async Task A_written_blob_is_in_the_local_store_at_once_and_reaches_the_remote_tier_behind_it()
    {
        var data = BlobData.Random(200_000, seed: 3);
        var digest = ContentDigest.Of(data);

        await WriteAsync(data);

        Assert.Equal(data, _chain.Local.Blob(Ns, digest));
        await DrainedAsync();
        Assert.Equal(data, _chain.Remote.Blob(Ns, digest));
        Assert.Equal(1, _chain.Stats(1).Writes);
        Assert.Equal(data.Length, _chain.Stats(1).BytesWritten);
    }

    [Fact]
    public async Task A_written_entry_reaches_the_remote_tier_in_an_envelope_that_unwraps_to_the_same_entry()
    {
        var key = ContentDigest.Of("key"u8).Hash.ToArray();
        var entry = new Entry { Stdout = ByteString.CopyFromUtf8("compiled") };

        await _chain.Store.PutEntryAsync(Ns, key, entry.ToByteArray(), default);

        Assert.Equal(entry, Entry.Parser.ParseFrom(_chain.Local.EntryBytes(Ns, key)));
        await DrainedAsync();
        Assert.True(EntryEnvelope.TryUnwrap(_chain.Remote.EntryBytes(Ns, key), out var payload));
        Assert.Equal(entry, Entry.Parser.ParseFrom(payload.Span));
    }

    [Fact]
    public async Task A_blob_the_remote_tier_already_holds_is_not_uploaded_again()
    {
        var data = BlobData.Random(50_000, seed: 4);
        var digest = ContentDigest.Of(data);
        _chain.Remote.Seed(Ns, digest, data);

        await WriteAsync(data);

        await DrainedAsync();
        Assert.Equal(0, _chain.Remote.BlobCommits);
        Assert.Equal(1, _chain.Stats(1).DeduplicatedWrites);
    }

    [Fact]
    public async Task The_same_blob_written_again_while_its_upload_is_under_way_is_uploaded_once()
    {
        var data = BlobData.Random(50_000, seed: 5);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chain.Remote.HoldUploads = hold;

        await WriteAsync(data);
        await WaitUntilAsync(s => s.Tiers[1].Requests == 2, "the first upload is under way: it asked whether the tier holds the blob, then was let through");
        await WriteAsync(data);
        hold.SetResult();

        await DrainedAsync();
        Assert.Equal(1, _chain.Remote.BlobCommits);
        Assert.Equal(1, _chain.Stats(1).DeduplicatedWrites);
        Assert.Equal(data, _chain.Remote.Blob(Ns, ContentDigest.Of(data)));
    }

    [Fact]
    public async Task A_failing_remote_tier_is_skipped_once_its_breaker_opens_and_probed_again_after_the_backoff()
    {
        var key = ContentDigest.Of("entry"u8).Hash.ToArray();
        _chain.Remote.Failing = true;
        for (var i = 0; i < _chain.Options.BreakerFailures; i++)
        {
            Assert.Null(await _chain.Store.GetEntryAsync(Ns, key, default));
        }
        Assert.Equal("open", _chain.Stats(1).Health);

        Assert.Null(await _chain.Store.GetEntryAsync(Ns, key, default));
        Assert.Equal(_chain.Options.BreakerFailures, _chain.Remote.Requests);
        Assert.Equal(1, _chain.Stats(1).SkippedRequests);

        _chain.Remote.Failing = false;
        _chain.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _chain.Store.GetEntryAsync(Ns, key, default));
        Assert.Equal(_chain.Options.BreakerFailures + 1, _chain.Remote.Requests);
        Assert.Equal("healthy", _chain.Stats(1).Health);
        Assert.Equal(_chain.Options.BreakerFailures, _chain.Stats(1).Errors);
    }

    [Fact]
    public async Task A_remote_tier_is_asked_whether_it_holds_a_blob_once_per_existence_ttl()
    {
        var data = BlobData.Random(1_000, seed: 6);
        var digest = ContentDigest.Of(data);
        _chain.Remote.Seed(Ns, digest, data);

        Assert.True(await _chain.Store.ContainsBlobAsync(Ns, digest, default));
        Assert.True(await _chain.Store.ContainsBlobAsync(Ns, digest, default));
        Assert.Equal(1, _chain.Remote.Requests);

        _chain.Clock.Advance(_chain.Options.ExistenceCacheTtl);
        Assert.True(await _chain.Store.ContainsBlobAsync(Ns, digest, default));
        Assert.Equal(2, _chain.Remote.Requests);
    }

    [Fact]
    public async Task A_hit_in_the_slower_remote_tier_is_backfilled_into_the_local_store_and_the_faster_remote_tier()
    {
        await _chain.DisposeAsync();
        _chain = new MemoryTierChain(remotes: 2);
        var data = BlobData.Random(100_000, seed: 7);
        var digest = ContentDigest.Of(data);
        _chain.Remotes[1].Seed(Ns, digest, data);

        Assert.Equal(data, await ReadAsync(digest));

        await DrainedAsync();
        await WaitUntilAsync(s => s.Tiers[0].Backfills == 1, "the local store was backfilled");
        Assert.Equal(data, _chain.Remotes[0].Blob(Ns, digest));
        Assert.Equal(data, _chain.Local.Blob(Ns, digest));
        Assert.Equal(1, _chain.Stats(1).Backfills);
        Assert.Equal(1, _chain.Stats(2).BlobHits);
    }

    [Fact]
    public async Task An_entry_found_only_in_the_remote_tier_is_returned_and_backfilled_into_the_local_store()
    {
        var key = ContentDigest.Of("remote entry"u8).Hash.ToArray();
        var entry = new Entry { Stdout = ByteString.CopyFromUtf8("from the remote") };
        _chain.Remote.SeedEntry(Ns, key, EntryEnvelope.Wrap(entry.ToByteArray()));

        Assert.Equal(entry, await _chain.Store.GetEntryAsync(Ns, key, default));

        await WaitUntilAsync(s => s.Tiers[0].Backfills == 1, "the entry was backfilled");
        Assert.Equal(entry, Entry.Parser.ParseFrom(_chain.Local.EntryBytes(Ns, key)));
        Assert.Equal(1, _chain.Stats(1).EntryHits);
    }

    [Fact]
    public async Task A_remote_entry_hit_fetches_its_outputs_together_and_answers_once_they_are_all_local()
    {
        var key = ContentDigest.Of("entry with outputs"u8).Hash.ToArray();
        var outputs = Enumerable.Range(0, 4).Select(i => BlobData.Random(50_000, seed: 40 + i)).ToList();
        var entry = new Entry();
        foreach (var (data, i) in outputs.Select((d, i) => (d, i)))
        {
            _chain.Remote.Seed(Ns, ContentDigest.Of(data), data);
            entry.Outputs.Add(new OutputFile { Path = $"deps/out{i}", Digest = ContentDigest.Of(data).ToProto() });
        }
        _chain.Remote.SeedEntry(Ns, key, EntryEnvelope.Wrap(entry.ToByteArray()));
        _chain.Remote.HoldOpens = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var lookup = _chain.Store.GetEntryAsync(Ns, key, default).AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_chain.Remote.OpensWaiting < outputs.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        Assert.Equal(outputs.Count, _chain.Remote.OpensWaiting);
        Assert.False(lookup.IsCompleted);
        _chain.Remote.HoldOpens.SetResult();

        Assert.Equal(entry, await lookup);
        Assert.All(outputs, data => Assert.Equal(data, _chain.Local.Blob(Ns, ContentDigest.Of(data))));
        Assert.Equal(outputs.Count, _chain.Stats(1).BlobHits);
    }

    [Fact]
    public async Task A_local_entry_that_does_not_parse_is_a_counted_corrupt_read_and_the_remote_copy_is_served()
    {
        var key = ContentDigest.Of("damaged local entry"u8).Hash.ToArray();
        var entry = new Entry { Stdout = ByteString.CopyFromUtf8("good copy") };
        _chain.Local.SeedEntry(Ns, key, [0xff, 0xff, 0xff]);
        _chain.Remote.SeedEntry(Ns, key, EntryEnvelope.Wrap(entry.ToByteArray()));

        Assert.Equal(entry, await _chain.Store.GetEntryAsync(Ns, key, default));

        Assert.Equal(1, _chain.Stats(0).CorruptReads);
        Assert.Equal(1, _chain.Stats(0).EntryMisses);
        Assert.Equal(0, _chain.Stats(0).EntryHits);
        Assert.Equal(1, _chain.Stats(1).EntryHits);
        // The unreadable copy was removed, and the backfill put the good one in its place.
        await WaitUntilAsync(s => s.Tiers[0].Backfills == 1, "the entry was backfilled");
        Assert.Equal(entry, Entry.Parser.ParseFrom(_chain.Local.EntryBytes(Ns, key)));
    }

    [Fact]
    public async Task A_chain_refuses_a_front_tier_that_does_not_check_its_own_reads()
    {
        using var spool = new TempDirectory("cfmem");
        await using var untrusted = new MemoryTier("untrusted");

        var error = Assert.Throws<ArgumentException>(() =>
            new TieredCacheStore(untrusted, [], new TieredStoreOptions(), new BlobWriteLocks(), spool.Combine("spool"), NullLogger.Instance));

        Assert.Contains("untrusted", error.Message);
    }

    private Task<byte[]?> ReadAsync(ContentDigest digest) => _chain.ReadBlobAsync(Ns, digest);

    private async Task WriteAsync(byte[] data)
    {
        await using var writer = await _chain.Store.BeginBlobWriteAsync(Ns, ContentDigest.Of(data), default);
        await writer.AppendAsync(data, default);
        await writer.CommitAsync(default);
    }

    private Task DrainedAsync() => DaemonStats.DrainedAsync(_chain.ReadStatsAsync);

    private Task WaitUntilAsync(Func<Stats, bool> condition, string what) => DaemonStats.WaitUntilAsync(_chain.ReadStatsAsync, condition, what);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chain.DisposeAsync().AsTask();
}
