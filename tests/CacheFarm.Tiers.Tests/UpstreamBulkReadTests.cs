using CacheFarm.Client.Connection;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>A runner-local daemon reading its upstream over the upstream's bulk-read listener (real processes on loopback): TLS and the token once per pooled connection, blobs as raw streams, writes still over gRPC.</summary>
public sealed class UpstreamBulkReadTests
{
    // UpstreamBulkReads.MaxConnections: a runner opens at most this many bulk connections, however many lookups it serves at once.
    private const int MaxConnections = 16;

    [Fact]
    public async Task A_runner_reads_entries_and_blobs_of_every_size_over_its_upstreams_bulk_listener_with_few_TLS_handshakes()
    {
        using var dir = new TempDirectory("cfbulkup");
        var certificates = TestCertificates.Create(dir.Combine("tls"));
        var writer = new TokenFile.Token("ci", "bulk-ci-secret", ["read", "write-blobs", "write-entries"], ["default"]);
        var reader = new TokenFile.Token("runner", "bulk-runner-secret", ["read"], ["default"]);
        var bulkPort = FreePort.Next();
        await using var shared = await DaemonProcess.StartWithMetricsAsync(dir.Combine("shared"),
            "--capacity", "512M", "--log-memory", "64M", "--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey,
            "--tokens-file", TokenFile.Write(dir.Path, writer, reader), "--bulk-listen", $"127.0.0.1:{bulkPort}");
        var small = BlobData.Random(64 << 10, seed: 1);
        var large = BlobData.Random(20 << 20, seed: 2);
        var output = BlobData.Random(10_000, seed: 3);
        var outputDigest = ContentDigest.Of(output);
        Entry stored;
        using (var ci = shared.Client(credentials: new ClientCredentials { Token = writer.Secret, TlsCaFile = certificates.CaCert }))
        {
            foreach (var blob in new[] { small, large, output })
            {
                await ci.UploadAsync(ContentDigest.Of(blob), new MemoryStream(blob), default);
            }
            stored = new Entry { Outputs = { new OutputFile { Path = "deps/lib.rlib", Digest = outputDigest.ToProto() } } };
            await ci.PutEntryAsync(Blobs.Key(1), stored, default);
        }
        var handshakesBefore = Handshakes(await PrometheusScrape.FetchAsync(shared.MetricsPort!.Value));

        await using var runner = await TieredDaemon.StartAsync(dir, "runner", null, null,
            "--upstream", $"https://127.0.0.1:{shared.Port}", "--upstream-ca", certificates.CaCert, "--upstream-token", reader.Secret,
            "--upstream-bulk", $"127.0.0.1:{bulkPort}");
        const int lookups = 40;
        var misses = await Task.WhenAll(Enumerable.Range(0, lookups).Select(i => Blobs.GetEntryAsync(runner, Blobs.Key(1000 + i))));
        Assert.All(misses, Assert.Null);
        Assert.NotNull(await Blobs.GetEntryAsync(runner, Blobs.Key(1)));
        Assert.Equal(output, await Blobs.ReadAsync(runner, outputDigest));
        Assert.Equal(small, await Blobs.ReadAsync(runner, ContentDigest.Of(small)));
        Assert.Equal(large, await Blobs.ReadAsync(runner, ContentDigest.Of(large)));
        Assert.Null(await Blobs.ReadAsync(runner, ContentDigest.Of(BlobData.Random(300_000, seed: 4))));

        var upstream = await DaemonStats.TierAsync(runner, "upstream");
        Assert.Equal((1L, (long)lookups, 0L), (upstream.EntryHits, upstream.EntryMisses, upstream.Errors));
        var scrape = await PrometheusScrape.FetchAsync(shared.MetricsPort!.Value);
        Assert.True(Calls(scrape, "BulkRead/GetEntry") >= lookups + 1);
        Assert.True(Calls(scrape, "BulkRead/ReadBlob") >= 1, "the large blob streamed over the bulk listener");
        Assert.True(Calls(scrape, "BulkRead/BatchReadBlobs") >= 1, "small blobs batched over the bulk listener");
        Assert.Equal(0, Calls(scrape, "EntryStore/GetEntry"));
        Assert.Equal(0, Calls(scrape, "BlobStore/ReadBlob"));
        Assert.InRange(Handshakes(scrape) - handshakesBefore, 1, MaxConnections);
    }

    private static double Calls(PrometheusScrape scrape, string method)
    {
        try
        {
            return scrape.Value("cachefarm_rpc_requests_total", ("rpc_method", method));
        }
        catch (KeyNotFoundException)
        {
            // A method never called has no series.
            return 0;
        }
    }

    private static double Handshakes(PrometheusScrape scrape) =>
        scrape.MetricNames.Contains("kestrel_tls_handshake_duration_seconds_count") ? scrape.Value("kestrel_tls_handshake_duration_seconds_count") : 0;
}
