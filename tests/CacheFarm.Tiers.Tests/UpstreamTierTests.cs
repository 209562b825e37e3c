using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>A runner-local daemon in front of a shared cachefarmd (real processes on loopback): reads through, writes behind, refusals and outages harmless.</summary>
public sealed class UpstreamTierTests
{
    [Fact]
    public async Task A_runner_with_an_empty_local_tier_hits_in_its_upstream_and_then_reads_the_same_blobs_locally()
    {
        using var dir = new TempDirectory("cfup");
        await using var shared = await TieredDaemon.StartAsync(dir, "shared", null, null);
        var small = BlobData.Random(64 << 10, seed: 1);
        var large = BlobData.Random(20 << 20, seed: 2);
        var output = BlobData.Random(10_000, seed: 3);
        await Blobs.WriteAsync(shared, small);
        await Blobs.WriteAsync(shared, large);
        var stored = await Blobs.PutEntryAsync(shared, Blobs.Key(1), output);

        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null, "--upstream", shared.Endpoint.Address!.ToString());
        Assert.Equal(stored, await Blobs.GetEntryAsync(runner, Blobs.Key(1)));
        Assert.Equal(small, await Blobs.ReadAsync(runner, ContentDigest.Of(small)));
        Assert.Equal(large, await Blobs.ReadAsync(runner, ContentDigest.Of(large)));
        Assert.Equal(output, await Blobs.ReadAsync(runner, ContentDigest.Of(output)));
        Assert.Null(await Blobs.GetEntryAsync(runner, Blobs.Key(2)));
        var first = await DaemonStats.TierAsync(runner, "upstream");
        Assert.Equal((1, 1, 3, 0L), (first.EntryHits, first.EntryMisses, first.BlobHits, first.Errors));

        await DaemonStats.WaitUntilAsync(runner, s => DaemonStats.Tier(s, "local").Backfills >= 4, "backfilled locally");
        Assert.Equal(stored, await Blobs.GetEntryAsync(runner, Blobs.Key(1)));
        Assert.Equal(large, await Blobs.ReadAsync(runner, ContentDigest.Of(large)));
        var second = await DaemonStats.TierAsync(runner, "upstream");
        Assert.Equal((1, 3), (second.EntryHits, second.BlobHits));
    }

    [Fact]
    public async Task What_a_runner_stores_reaches_its_upstream_behind_the_build_and_serves_another_runner()
    {
        using var dir = new TempDirectory("cfup");
        await using var shared = await TieredDaemon.StartAsync(dir, "shared", null, null);
        var upstream = shared.Endpoint.Address!.ToString();
        var output = BlobData.Random(300_000, seed: 10);
        Entry stored;
        await using (var first = await TieredDaemon.StartAsync(dir, "first", null, null, "--upstream", upstream))
        {
            stored = await Blobs.PutEntryAsync(first, Blobs.Key(10), output);
            var drained = await DaemonStats.DrainedAsync(first);
            Assert.Equal(2, DaemonStats.Tier(drained, "upstream").Writes);
        }
        Assert.Equal(stored, await Blobs.GetEntryAsync(shared, Blobs.Key(10)));
        Assert.Equal(output, await Blobs.ReadAsync(shared, ContentDigest.Of(output)));

        await using var second = await TieredDaemon.StartAsync(dir, "second", null, null, "--upstream", upstream);
        Assert.Equal(stored, await Blobs.GetEntryAsync(second, Blobs.Key(10)));
        Assert.Equal(output, await Blobs.ReadAsync(second, ContentDigest.Of(output)));
    }

    [Fact]
    public async Task A_runner_holding_a_read_only_token_reads_its_upstream_and_never_writes_there()
    {
        using var dir = new TempDirectory("cfup");
        var writer = new TokenFile.Token("ci", "ci-secret", ["read", "write-blobs", "write-entries"], ["default"]);
        var reader = new TokenFile.Token("pr", "pr-secret", ["read"], ["default"]);
        await using var shared = await TieredDaemon.StartAsync(dir, "shared", null, null, "--tokens-file", TokenFile.Write(dir.Path, writer, reader));
        var seeded = BlobData.Random(50_000, seed: 20);
        var seededDigest = ContentDigest.Of(seeded);
        using (var ci = shared.Client(credentials: new ClientCredentials { Token = writer.Secret }))
        {
            await ci.UploadAsync(seededDigest, new MemoryStream(seeded), default);
            var entry = new Entry { Outputs = { new OutputFile { Path = "deps/lib.rlib", Digest = seededDigest.ToProto() } } };
            await ci.PutEntryAsync(Blobs.Key(20), entry, default);
        }

        // Mode left read-write on purpose: the refusal itself must stop the writes without tripping the breaker.
        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null,
            "--upstream", shared.Endpoint.Address!.ToString(), "--upstream-token", reader.Secret);
        Assert.NotNull(await Blobs.GetEntryAsync(runner, Blobs.Key(20)));
        Assert.Equal(seeded, await Blobs.ReadAsync(runner, seededDigest));
        var local = new List<ContentDigest>();
        for (var i = 0; i < 5; i++)
        {
            var blob = BlobData.Random(10_000, seed: 30 + i);
            await Blobs.PutEntryAsync(runner, Blobs.Key(30 + i), blob);
            local.Add(ContentDigest.Of(blob));
        }
        var drained = await DaemonStats.DrainedAsync(runner);

        var tier = DaemonStats.Tier(drained, "upstream");
        Assert.Equal((0L, 0L, "healthy"), (tier.Writes, tier.Errors, tier.Health));
        Assert.True(tier.DroppedWrites >= 10, $"dropped writes: {tier.DroppedWrites}");
        using var check = shared.Client(credentials: new ClientCredentials { Token = writer.Secret });
        Assert.Equal(local.Count, (await check.FindMissingAsync(local.Select(d => d.ToProto()), default)).Count);
        Assert.Null(await check.GetEntryAsync(Blobs.Key(30), default));
        // Still reading after the refusals.
        Assert.NotNull(await Blobs.GetEntryAsync(runner, Blobs.Key(20)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_runner_whose_upstream_is_killed_keeps_serving_and_storing_locally_and_opens_its_breaker(bool bulkReads)
    {
        using var dir = new TempDirectory("cfup");
        var bulk = $"127.0.0.1:{FreePort.Next()}";
        var shared = await TieredDaemon.StartAsync(dir, "shared", null, null, bulkReads ? ["--bulk-listen", bulk] : []);
        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null,
            ["--upstream", shared.Endpoint.Address!.ToString(), "--upstream-timeout-ms", "1000", .. bulkReads ? new[] { "--upstream-bulk", bulk } : []]);
        var before = await Blobs.PutEntryAsync(runner, Blobs.Key(40), BlobData.Random(5000, seed: 40));
        await DaemonStats.DrainedAsync(runner);
        // Read back through the upstream, over the bulk listener when the runner has one.
        var seeded = BlobData.Random(2 << 20, seed: 42);
        await Blobs.WriteAsync(shared, seeded);
        Assert.Equal(seeded, await Blobs.ReadAsync(runner, ContentDigest.Of(seeded)));
        await shared.KillAsync();
        await shared.DisposeAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await Blobs.GetEntryAsync(runner, Blobs.Key(100 + i)));
        }
        var output = BlobData.Random(7000, seed: 41);
        var after = await Blobs.PutEntryAsync(runner, Blobs.Key(41), output);
        Assert.Equal(before, await Blobs.GetEntryAsync(runner, Blobs.Key(40)));
        Assert.Equal(after, await Blobs.GetEntryAsync(runner, Blobs.Key(41)));
        Assert.Equal(output, await Blobs.ReadAsync(runner, ContentDigest.Of(output)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
        var tier = await DaemonStats.TierAsync(runner, "upstream");
        Assert.True(tier.BreakerOpens >= 1 && tier.Errors + tier.Timeouts >= 1, tier.ToString());
    }

    [Fact]
    public async Task A_runner_reuses_its_TLS_connection_to_the_upstream_across_many_lookups()
    {
        using var dir = new TempDirectory("cfup");
        var certificates = TestCertificates.Create(dir.Combine("tls"));
        await using var shared = await DaemonProcess.StartWithMetricsAsync(dir.Combine("shared"),
            "--capacity", "512M", "--log-memory", "64M", "--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey);
        var output = BlobData.Random(4000, seed: 50);
        using (var seed = shared.Client(credentials: new ClientCredentials { TlsCaFile = certificates.CaCert }))
        {
            var digest = await seed.UploadFileAsync(WriteFile(dir, output), default);
            await seed.PutEntryAsync(Blobs.Key(50), new Entry { Outputs = { new OutputFile { Path = "deps/lib.rlib", Digest = digest.ToProto() } } }, default);
        }
        var handshakesBefore = Handshakes(await PrometheusScrape.FetchAsync(shared.MetricsPort!.Value));

        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null,
            "--upstream", $"https://127.0.0.1:{shared.Port}", "--upstream-ca", certificates.CaCert);
        const int lookups = 40;
        await Task.WhenAll(Enumerable.Range(0, lookups).Select(i => Blobs.GetEntryAsync(runner, Blobs.Key(1000 + i))));
        Assert.NotNull(await Blobs.GetEntryAsync(runner, Blobs.Key(50)));
        Assert.Equal(output, await Blobs.ReadAsync(runner, ContentDigest.Of(output)));

        var upstream = await DaemonStats.TierAsync(runner, "upstream");
        Assert.Equal((1L, (long)lookups, 0L), (upstream.EntryHits, upstream.EntryMisses, upstream.Errors));
        var handshakes = Handshakes(await PrometheusScrape.FetchAsync(shared.MetricsPort!.Value)) - handshakesBefore;
        Assert.InRange(handshakes, 1, 3);
    }

    [Fact]
    public async Task Concurrent_reads_of_small_blobs_through_a_runner_reach_its_upstream_in_batches_and_arrive_whole()
    {
        using var dir = new TempDirectory("cfup");
        await using var shared = await DaemonProcess.StartWithMetricsAsync(dir.Combine("shared"), "--capacity", "512M", "--log-memory", "64M");
        var blobs = Enumerable.Range(0, 64).Select(i => BlobData.Random(2_000 + i * 100, seed: 60 + i)).ToList();
        foreach (var blob in blobs)
        {
            await Blobs.WriteAsync(shared, blob);
        }
        var absent = BlobData.Random(3_000, seed: 59);

        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null, "--upstream", shared.Endpoint.Address!.ToString());
        var reads = await Task.WhenAll(blobs.Append(absent).Select(b => Blobs.ReadAsync(runner, ContentDigest.Of(b))));

        Assert.Equal(blobs, reads.Take(blobs.Count));
        Assert.Null(reads[^1]);
        var scrape = await PrometheusScrape.FetchAsync(shared.MetricsPort!.Value);
        var batches = scrape.Value("cachefarm_rpc_requests_total", ("rpc_method", "BlobStore/BatchReadBlobs"));
        Assert.InRange(batches, 1, blobs.Count / 2);
        // No blob needed a stream of its own.
        Assert.Throws<KeyNotFoundException>(() => scrape.Value("cachefarm_rpc_requests_total", ("rpc_method", "BlobStore/ReadBlob")));
        Assert.Equal(0, (await DaemonStats.TierAsync(runner, "upstream")).Errors);
    }

    private static double Handshakes(PrometheusScrape scrape) =>
        scrape.MetricNames.Contains("kestrel_tls_handshake_duration_seconds_count") ? scrape.Value("kestrel_tls_handshake_duration_seconds_count") : 0;

    private static string WriteFile(TempDirectory dir, byte[] data)
    {
        var path = dir.Combine("seed.bin");
        File.WriteAllBytes(path, data);
        return path;
    }
}
