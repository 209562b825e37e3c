using BenchmarkDotNet.Attributes;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Local;
using CacheFarm.Protos.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheFarm.Benchmarks;

/// <summary>Chunked blob writes and reads through the FASTER tier, in process (no gRPC).</summary>
[MemoryDiagnoser]
public class LocalTierBenchmarks
{
    private const int Blobs = 64;
    private string _directory = "";
    private FasterLocalTier _tier = null!;
    private ContentDigest[] _digests = [];
    private byte[][] _data = [];
    private int _next;

    [Params(64 << 10, 1 << 20, 8 << 20)]
    public int BlobBytes { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cfbench-").FullName;
        _tier = new FasterLocalTier(new LocalTierOptions { Directory = _directory, Capacity = 4L << 30 }, NullLogger<FasterLocalTier>.Instance);
        var random = new Random(1);
        _data = Enumerable.Range(0, Blobs).Select(_ =>
        {
            var bytes = new byte[BlobBytes];
            random.NextBytes(bytes);
            return bytes;
        }).ToArray();
        _digests = _data.Select(d => ContentDigest.Of(d)).ToArray();
        for (var i = 0; i < Blobs; i++)
        {
            await WriteAsync(_digests[i], _data[i]);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _tier.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "read blob (chunks + checksums)")]
    public async Task<long> Read()
    {
        var i = _next++ % Blobs;
        var reader = await _tier.OpenBlobAsync(NamespaceId.Default, _digests[i], default) ?? throw new InvalidOperationException("miss");
        long total = 0;
        await foreach (var chunk in reader.ReadAsync(0, reader.Size, default))
        {
            total += chunk.Length;
            chunk.Dispose();
        }
        return total;
    }

    [Benchmark(Description = "write blob (chunks + checksums + manifest)")]
    public async Task Write()
    {
        // A fresh digest each time; the content is reused (the tier trusts the caller's verified digest).
        var digest = ContentDigest.FromHash(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), BlobBytes);
        await WriteAsync(digest, _data[_next++ % Blobs]);
    }

    private async Task WriteAsync(ContentDigest digest, byte[] data)
    {
        await using var writer = await _tier.BeginBlobWriteAsync(NamespaceId.Default, digest, default);
        await writer.AppendAsync(data, default);
        await writer.CommitAsync(default);
    }
}
