using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace CacheFarm.Benchmarks;

/// <summary>SHA-256 (verified on every write) against XxHash128 (checked on every local read), per MiB.</summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private readonly byte[] _data = new byte[1 << 20];
    private readonly byte[] _hash = new byte[32];

    [Params(64 << 10, 1 << 20)]
    public int FeedBytes { get; set; }

    [GlobalSetup]
    public void Setup() => new Random(1).NextBytes(_data);

    [Benchmark(Baseline = true, Description = "SHA-256, 1 MiB streamed")]
    public byte[] Sha256Streamed()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var at = 0; at < _data.Length; at += FeedBytes)
        {
            hash.AppendData(_data, at, FeedBytes);
        }
        hash.GetHashAndReset(_hash);
        return _hash;
    }

    [Benchmark(Description = "XxHash128, 1 MiB")]
    public byte[] XxHash128Chunk()
    {
        XxHash128.Hash(_data, _hash);
        return _hash;
    }
}
