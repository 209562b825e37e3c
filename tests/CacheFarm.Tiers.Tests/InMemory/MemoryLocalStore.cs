using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>A local store held in dictionaries: the tier chain's front without a FASTER log on disk.</summary>
internal sealed class MemoryLocalStore(long maxBlobSize = 64L << 20) : ICacheStore
{
    private readonly ConcurrentDictionary<(string, ContentDigest), byte[]> _blobs = new();
    private readonly ConcurrentDictionary<(string, string), byte[]> _entries = new();

    public long MaxBlobSize => maxBlobSize;

    /// <summary>The bytes stored for a blob, or null.</summary>
    public byte[]? Blob(NamespaceId ns, ContentDigest digest) => _blobs.GetValueOrDefault((ns.Name, digest));

    /// <summary>The stored entry, parsed afresh, or null.</summary>
    public Entry? StoredEntry(NamespaceId ns, ReadOnlySpan<byte> key) =>
        _entries.TryGetValue((ns.Name, Convert.ToHexString(key)), out var bytes) ? Entry.Parser.ParseFrom(bytes) : null;

    public ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_blobs.ContainsKey((ns.Name, digest)));

    public ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBlobReader?>(Blob(ns, digest) is { } data ? new Reader(data) : null);

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size > maxBlobSize)
        {
            throw new StorageFullException($"blob of {digest.Size} bytes exceeds the memory store's {maxBlobSize}");
        }
        return ValueTask.FromResult<IBlobWriter>(new BufferedBlobWriter((data, _) =>
        {
            _blobs[(ns.Name, digest)] = data;
            return ValueTask.CompletedTask;
        }));
    }

    public ValueTask<Entry?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StoredEntry(ns, key.Span));

    public ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        _entries[(ns.Name, Convert.ToHexString(key.Span))] = entry.ToArray();
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<TierStats> GetTierStats() => [new TierStats { Name = "local" }];

    public void ZeroStats()
    {
    }

    private sealed class Reader(byte[] data) : IBlobReader
    {
        public long Size => data.Length;

        public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return BlobChunk.Unpooled(data.AsMemory((int)offset, (int)length));
        }
    }
}
