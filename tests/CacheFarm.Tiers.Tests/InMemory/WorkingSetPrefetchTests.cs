using CacheFarm.Daemon.Services;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Builds;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Protos.V1;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>Working-set records and prefetches over the daemon's tier chain on memory tiers and a fake clock.</summary>
public sealed class WorkingSetPrefetchTests : IAsyncLifetime
{
    private const string SetName = "rust-ws host debug /usr/bin/rustc";
    private static readonly NamespaceId Ns = NamespaceId.Default;
    private static readonly WorkingSetOptions Options = new();
    private readonly MemoryTierChain _chain = new();
    private readonly PrefetchCounters _counters = new();
    private readonly PrefetchedEntries _prefetched;
    private readonly TempDirectory _reports = new("cfsets");
    private WorkingSets _sets = null!;
    private EntryReads? _lookups;

    public WorkingSetPrefetchTests() => _prefetched = new PrefetchedEntries(_counters);

    [Fact]
    public async Task A_build_that_went_quiet_has_its_lookups_recorded_in_the_remote_tier_in_first_lookup_order()
    {
        var keys = Enumerable.Range(0, 3).Select(Key).ToList();
        foreach (var key in keys.Append(keys[0]))
        {
            _sets.NoteLookup(Ns, SetName, key, Convert.ToHexStringLower(key));
        }

        await QuietUntilAsync(() => _counters.Snapshot().RecordsWritten == 1, "the record was written");
        await DaemonStats.DrainedAsync(_chain.ReadStatsAsync);
        Assert.True(EntryEnvelope.TryUnwrap(_chain.Remote.EntryBytes(Ns, WorkingSetRecord.KeyOf(SetName)), out var payload));
        var recorded = WorkingSetRecord.TryParse(Entry.Parser.ParseFrom(payload.Span), Options.MaxKeys);
        Assert.NotNull(recorded);
        Assert.Equal(keys.Select(Convert.ToHexStringLower), recorded.Select(Convert.ToHexStringLower));
    }

    [Fact]
    public async Task The_first_lookup_of_a_build_prefetches_the_rest_of_its_recorded_working_set_into_the_local_tier()
    {
        var (keys, entries, outputs) = SeedRemoteBuild(3);

        _sets.NoteLookup(Ns, SetName, keys[0], Convert.ToHexStringLower(keys[0]));

        // The first key is the build's own lookup: only the other two are prefetched.
        await WaitForAsync(() => _counters.Snapshot().Entries == 2, "two entries were prefetched");
        var stats = _counters.Snapshot();
        Assert.Equal(1, stats.Started);
        Assert.Equal(2, stats.Blobs);
        Assert.Equal(outputs[1].Length + outputs[2].Length, stats.Bytes);
        Assert.Null(_chain.Local.Blob(Ns, ContentDigest.Of(outputs[0])));
        Assert.Equal(outputs[1], _chain.Local.Blob(Ns, ContentDigest.Of(outputs[1])));
        Assert.Equal(outputs[2], _chain.Local.Blob(Ns, ContentDigest.Of(outputs[2])));

        var remoteRequests = _chain.Remote.Requests;
        Assert.Equal(entries[1], await Lookups().GetCompleteAsync(Ns, keys[1], Convert.ToHexStringLower(keys[1]), SetName, default));
        Assert.Equal(remoteRequests, _chain.Remote.Requests);
        Assert.Null(await _prefetched.TakeAsync(Ns, Convert.ToHexStringLower(keys[0]), default));
        Assert.Equal(1, _counters.Snapshot().Used);

        // The build ends without asking for the third: it was wasted.
        await QuietUntilAsync(() => _counters.Snapshot().Wasted == 1, "the untaken entry was counted wasted");
        Assert.Null(await _prefetched.TakeAsync(Ns, Convert.ToHexStringLower(keys[2]), default));
    }

    [Fact]
    public async Task A_prefetched_entry_whose_output_is_gone_is_a_miss_and_not_counted_used()
    {
        var (keys, _, outputs) = SeedRemoteBuild(2);
        await _chain.Remote.DeleteBlobAsync(Ns, ContentDigest.Of(outputs[1]), default);

        _sets.NoteLookup(Ns, SetName, keys[0], Convert.ToHexStringLower(keys[0]));
        await WaitForAsync(() => _counters.Snapshot().Entries == 1, "the second entry was prefetched");
        Assert.Equal(0, _counters.Snapshot().Blobs);

        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => Lookups().GetCompleteAsync(Ns, keys[1], Convert.ToHexStringLower(keys[1]), SetName, default));
        Assert.Equal(Refusal.NotFound, refused.Refusal);
        Assert.Equal(0, _counters.Snapshot().Used);
    }

    [Fact]
    public async Task A_local_entry_whose_output_was_evicted_has_the_output_prefetched_back()
    {
        var (keys, entries, outputs) = SeedRemoteBuild(2);
        _chain.Local.SeedEntry(Ns, keys[1], entries[1].ToByteArray());

        _sets.NoteLookup(Ns, SetName, keys[0], Convert.ToHexStringLower(keys[0]));

        await WaitForAsync(() => _counters.Snapshot().AlreadyLocal == 1, "the local entry was reached");
        Assert.Equal(0, _counters.Snapshot().Entries);
        Assert.Equal(1, _counters.Snapshot().Blobs);
        Assert.Equal(outputs[1], _chain.Local.Blob(Ns, ContentDigest.Of(outputs[1])));
    }

    [Fact]
    public async Task A_record_the_store_could_not_take_is_written_at_the_next_sweep()
    {
        var key = Key(0);
        _chain.Local.Failing = true;
        _sets.NoteLookup(Ns, SetName, key, Convert.ToHexStringLower(key));
        _chain.Clock.Advance(Options.RecordAfterQuiet);
        await Task.Delay(200);
        for (var i = 0; i < 5; i++)
        {
            _chain.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        Assert.Equal(0, _counters.Snapshot().RecordsWritten);

        _chain.Local.Failing = false;

        await QuietUntilAsync(() => _counters.Snapshot().RecordsWritten == 1, "the record was written once the store took it");
    }

    /// <summary>The daemon's entry lookups over this chain, as every front door makes them (one set of instruments per test).</summary>
    private EntryReads Lookups() => _lookups ??= new(
        _chain.Store, new PendingEntryWrites(), _sets, _prefetched, new RequestCounters(),
        new CacheMetrics(_chain.Store, new CompileCounters(new BuildReportStore(new BuildReportFiles(_reports.Path))), _counters));

    [Fact]
    public async Task A_prefetch_stops_once_it_has_brought_its_byte_budget()
    {
        await _sets.StopAsync(default);
        _sets.Dispose();
        _sets = new WorkingSets(_chain.Store, Options with { Concurrency = 1, ByteBudget = 1 }, _counters, _prefetched, NullLogger<WorkingSets>.Instance, _chain.Clock);
        await _sets.StartAsync(default);
        var (keys, _, outputs) = SeedRemoteBuild(4);

        _sets.NoteLookup(Ns, SetName, keys[0], Convert.ToHexStringLower(keys[0]));

        await WaitForAsync(() => _counters.Snapshot().StoppedBudget == 1, "the prefetch stopped at its budget");
        Assert.Equal(1, _counters.Snapshot().Entries);
        Assert.Equal(outputs[1], _chain.Local.Blob(Ns, ContentDigest.Of(outputs[1])));
        Assert.Null(_chain.Local.Blob(Ns, ContentDigest.Of(outputs[3])));
    }

    [Fact]
    public async Task A_daemon_stopped_mid_prefetch_keeps_no_partial_blob_and_serves_the_entry_from_the_remote_tier_later()
    {
        var (keys, entries, outputs) = SeedRemoteBuild(2);
        _chain.Remote.HoldOpens = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _sets.NoteLookup(Ns, SetName, keys[0], Convert.ToHexStringLower(keys[0]));
        await WaitForAsync(() => _chain.Remote.OpensWaiting == 1, "the prefetch is fetching an output");
        await _sets.StopAsync(default);
        _chain.Remote.HoldOpens.SetResult();

        Assert.Equal(0, _counters.Snapshot().Entries);
        Assert.Null(_chain.Local.Blob(Ns, ContentDigest.Of(outputs[1])));
        Assert.Null(await _prefetched.TakeAsync(Ns, Convert.ToHexStringLower(keys[1]), default));
        // The next daemon's lookup and restore find the entry and its output whole, from wherever they now are.
        Assert.Equal(entries[1], await _chain.Store.GetEntryAsync(Ns, keys[1], default));
        Assert.Equal(outputs[1], await _chain.ReadBlobAsync(Ns, ContentDigest.Of(outputs[1])));
    }

    [Fact]
    public async Task Lookups_without_a_working_set_are_neither_recorded_nor_prefetched()
    {
        var (keys, _, _) = SeedRemoteBuild(2);

        _sets.NoteLookup(Ns, "", keys[0], Convert.ToHexStringLower(keys[0]));
        for (var i = 0; i < 30; i++)
        {
            _chain.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.Equal(new PrefetchStats(), _counters.Snapshot());
        Assert.Equal(0, _chain.Remote.Requests);
    }

    /// <summary>Puts a finished build into the remote tier: entries with one output each, and its working-set record.</summary>
    private (List<byte[]> Keys, List<Entry> Entries, List<byte[]> Outputs) SeedRemoteBuild(int count)
    {
        var keys = Enumerable.Range(0, count).Select(Key).ToList();
        var outputs = Enumerable.Range(0, count).Select(i => BlobData.Random(20_000 + i, seed: 70 + i)).ToList();
        var entries = new List<Entry>();
        for (var i = 0; i < count; i++)
        {
            var entry = new Entry { Stdout = ByteString.CopyFromUtf8($"compiled {i}") };
            entry.Outputs.Add(new OutputFile { Path = $"deps/lib{i}.rlib", Digest = ContentDigest.Of(outputs[i]).ToProto() });
            _chain.Remote.Seed(Ns, ContentDigest.Of(outputs[i]), outputs[i]);
            _chain.Remote.SeedEntry(Ns, keys[i], EntryEnvelope.Wrap(entry.ToByteArray()));
            entries.Add(entry);
        }
        var record = WorkingSetRecord.ToEntry(keys, 0);
        _chain.Remote.SeedEntry(Ns, WorkingSetRecord.KeyOf(SetName), EntryEnvelope.Wrap(record.ToByteArray()));
        return (keys, entries, outputs);
    }

    private static byte[] Key(int i) => ContentDigest.Of(BitConverter.GetBytes(i)).Hash.ToArray();

    /// <summary>Lets fake time pass, a second at a time, until <paramref name="condition"/> holds (10 s of real time at most).</summary>
    /// <remarks>The sweep's timer starts on a background thread: time advanced before it exists would pass unseen.</remarks>
    private async Task QuietUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within 10 s: {what}");
            }
            _chain.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within 10 s: {what}");
            }
            await Task.Delay(10);
        }
    }

    public async Task InitializeAsync()
    {
        _sets = new WorkingSets(_chain.Store, Options, _counters, _prefetched, NullLogger<WorkingSets>.Instance, _chain.Clock);
        await _sets.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _sets.StopAsync(default);
        _sets.Dispose();
        await _chain.DisposeAsync();
        _reports.Dispose();
    }
}
