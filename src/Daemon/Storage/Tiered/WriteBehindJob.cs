using System.Buffers;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>One pending write to a remote tier: a blob (its bytes in hand, or to be read from the local tier) or an entry.</summary>
internal sealed class WriteBehindJob : IDisposable
{
    private IMemoryOwner<byte>? _data;

    private WriteBehindJob(NamespaceId ns, string id, ContentDigest digest, IMemoryOwner<byte>? data, byte[]? entryKey, byte[]? envelope, bool isBackfill)
    {
        Ns = ns;
        Key = (ns.Name, id);
        Digest = digest;
        _data = data;
        EntryKey = entryKey;
        Envelope = envelope;
        IsBackfill = isBackfill;
    }

    public NamespaceId Ns { get; }

    /// <summary>Identity for in-flight deduplication: blobs by digest, entries by key.</summary>
    public (string Ns, string Id) Key { get; }

    public ContentDigest Digest { get; }

    /// <summary>The blob's verified bytes, or null to read them from the local tier when the job runs.</summary>
    public ReadOnlyMemory<byte>? Data => _data?.Memory;

    public byte[]? EntryKey { get; }

    public byte[]? Envelope { get; }

    public bool IsEntry => EntryKey is not null;

    /// <summary>A copy into a faster tier that just missed: no existence check needed, and counted as a backfill.</summary>
    public bool IsBackfill { get; }

    /// <summary>Memory the job keeps alive while it waits.</summary>
    public long HeldBytes => (_data?.Memory.Length ?? 0) + (Envelope?.Length ?? 0);

    public static WriteBehindJob Blob(NamespaceId ns, ContentDigest digest, IMemoryOwner<byte>? data = null, bool isBackfill = false) =>
        new(ns, "b:" + digest.Hex, digest, data, null, null, isBackfill);

    public static WriteBehindJob Entry(NamespaceId ns, byte[] key, byte[] envelope, bool isBackfill = false) =>
        new(ns, "e:" + Convert.ToHexStringLower(key), default, null, key, envelope, isBackfill);

    public void Dispose() => Interlocked.Exchange(ref _data, null)?.Dispose();
}
