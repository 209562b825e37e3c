using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>A remote tier in dictionaries that can be told to fail, to hold its uploads, or to serve damaged bytes.</summary>
internal sealed class MemoryRemoteTier(string name = "memory", long maxBlobSize = 64L << 20) : IRemoteTier
{
    private readonly ConcurrentDictionary<(string, ContentDigest), byte[]> _blobs = new();
    private readonly ConcurrentDictionary<(string, string), byte[]> _entries = new();
    private int _requests;
    private int _blobCommits;

    public string Name => name;

    public long MaxBlobSize => maxBlobSize;

    public bool IsDisconnected => false;

    /// <summary>Every request throws while set, as an unreachable server's would.</summary>
    public bool Failing { get; set; }

    /// <summary>While set, a blob upload's commit waits for it: the upload is "under way".</summary>
    public TaskCompletionSource? HoldUploads { get; set; }

    /// <summary>Requests that reached the tier (refused ones included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Blob uploads committed.</summary>
    public int BlobCommits => Volatile.Read(ref _blobCommits);

    public byte[]? Blob(NamespaceId ns, ContentDigest digest) => _blobs.GetValueOrDefault((ns.Name, digest));

    public byte[]? Envelope(NamespaceId ns, ReadOnlySpan<byte> key) => _entries.GetValueOrDefault((ns.Name, Convert.ToHexString(key)));

    /// <summary>Stores bytes under a digest as another daemon would, unchecked (so they may be wrong on purpose).</summary>
    public void Seed(NamespaceId ns, ContentDigest digest, byte[] data) => _blobs[(ns.Name, digest)] = data;

    public void SeedEntry(NamespaceId ns, ReadOnlySpan<byte> key, byte[] envelope) => _entries[(ns.Name, Convert.ToHexString(key))] = envelope;

    public Task<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        return Task.FromResult(_blobs.ContainsKey((ns.Name, digest)));
    }

    public Task<RemoteBlobSource?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        return Task.FromResult<RemoteBlobSource?>(Blob(ns, digest) is { } data ? new Source(data) : null);
    }

    public IBlobWriter BeginBlobWrite(NamespaceId ns, ContentDigest digest) => new BufferedBlobWriter(async (data, ct) =>
    {
        if (HoldUploads is { } hold)
        {
            await hold.Task.WaitAsync(ct);
        }
        Enter();
        Seed(ns, digest, data);
        Interlocked.Increment(ref _blobCommits);
    });

    public Task DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        Enter();
        _blobs.TryRemove((ns.Name, digest), out _);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        Enter();
        return Task.FromResult(Envelope(ns, key.Span));
    }

    public Task PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        Enter();
        SeedEntry(ns, key.Span, envelope.ToArray());
        return Task.CompletedTask;
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

    private sealed class Source(byte[] data) : RemoteBlobSource(data.Length)
    {
        public override async IAsyncEnumerable<BlobChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return BlobChunk.Unpooled(data);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
