using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>A tier in dictionaries, trusted (the chain's front) or not, that can be told to fail, to hold its uploads, or to serve damaged bytes.</summary>
internal sealed class MemoryTier(string name, bool trusted = false, long maxBlobSize = 64L << 20) : ICacheTier
{
    private readonly ConcurrentDictionary<(string, ContentDigest), byte[]> _blobs = new();
    private readonly ConcurrentDictionary<(string, string), byte[]> _entries = new();
    private int _requests;
    private int _blobCommits;
    private int _opensWaiting;

    public string Name => name;

    public long MaxBlobSize => maxBlobSize;

    public bool TrustedReads => trusted;

    public bool IsDisconnected => false;

    /// <summary>Every request throws while set, as an unreachable server's would.</summary>
    public bool Failing { get; set; }

    /// <summary>While set, a blob upload's commit waits for it: the upload is "under way".</summary>
    public TaskCompletionSource? HoldUploads { get; set; }

    /// <summary>While set, a blob open waits for it, as over a slow link.</summary>
    public TaskCompletionSource? HoldOpens { get; set; }

    /// <summary>Blob opens waiting on <see cref="HoldOpens"/> right now.</summary>
    public int OpensWaiting => Volatile.Read(ref _opensWaiting);

    /// <summary>Requests that reached the tier (refused ones included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Blob uploads committed.</summary>
    public int BlobCommits => Volatile.Read(ref _blobCommits);

    public byte[]? Blob(NamespaceId ns, ContentDigest digest) => _blobs.GetValueOrDefault((ns.Name, digest));

    /// <summary>The bytes stored under an entry key: the entry itself in a trusted tier, its envelope in others.</summary>
    public byte[]? EntryBytes(NamespaceId ns, ReadOnlySpan<byte> key) => _entries.GetValueOrDefault((ns.Name, Convert.ToHexString(key)));

    /// <summary>Stores bytes under a digest as another daemon would, unchecked (so they may be wrong on purpose).</summary>
    public void Seed(NamespaceId ns, ContentDigest digest, byte[] data) => _blobs[(ns.Name, digest)] = data;

    public void SeedEntry(NamespaceId ns, ReadOnlySpan<byte> key, byte[] bytes) => _entries[(ns.Name, Convert.ToHexString(key))] = bytes;

    public ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        return ValueTask.FromResult(_blobs.ContainsKey((ns.Name, digest)));
    }

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        if (HoldOpens is { } hold)
        {
            Interlocked.Increment(ref _opensWaiting);
            await hold.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Decrement(ref _opensWaiting);
        }
        return Blob(ns, digest) is { } data ? new Reader(data) : null;
    }

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size > maxBlobSize)
        {
            throw new StorageFullException($"blob of {digest.Size} bytes exceeds the {name} tier's {maxBlobSize}");
        }
        return ValueTask.FromResult<IBlobWriter>(new BufferedBlobWriter(async (data, ct) =>
        {
            if (HoldUploads is { } hold)
            {
                await hold.Task.WaitAsync(ct);
            }
            Enter();
            Seed(ns, digest, data);
            Interlocked.Increment(ref _blobCommits);
        }));
    }

    public ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        _blobs.TryRemove((ns.Name, digest), out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        Enter();
        _entries.TryRemove((ns.Name, Convert.ToHexString(key.Span)), out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        Enter();
        return ValueTask.FromResult(EntryBytes(ns, key.Span));
    }

    public ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        Enter();
        SeedEntry(ns, key.Span, entry.ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Enter()
    {
        Interlocked.Increment(ref _requests);
        if (Failing)
        {
            throw new IOException($"{name} tier is unreachable");
        }
    }

    private sealed class Reader(byte[] data) : IBlobReader
    {
        public long Size => data.Length;

        public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            var end = BlobRange.End(data.Length, offset, length);
            yield return BlobChunk.Unpooled(data.AsMemory((int)offset, (int)(end - offset)));
        }

        public void Dispose()
        {
        }
    }
}
