using System.Runtime.CompilerServices;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Streams a blob's chunks from the log, checking each chunk's checksum and giving hot blobs a second chance.</summary>
internal sealed class FasterBlobReader : IBlobReader
{
    private readonly FasterLocalTier _tier;
    private readonly NamespaceId _ns;
    private readonly ContentDigest _digest;
    private readonly BlobManifest _manifest;
    private readonly long _manifestAddress;

    public FasterBlobReader(FasterLocalTier tier, NamespaceId ns, ContentDigest digest, BlobManifest manifest, long manifestAddress)
    {
        _tier = tier;
        _ns = ns;
        _digest = digest;
        _manifest = manifest;
        _manifestAddress = manifestAddress;
    }

    public long Size => _manifest.Size;

    // Holds nothing between reads: every chunk is read from the log when it is asked for.
    public void Dispose()
    {
    }

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = BlobRange.End(Size, offset, length);
        if (end == offset)
        {
            yield break;
        }
        var chunkPayload = _manifest.ChunkPayload;
        var first = (int)(offset / chunkPayload);
        var last = (int)((end - 1) / chunkPayload);
        // Only whole reads refresh a blob: a ranged read says little about whether the blob is hot.
        var wholeRead = offset == 0 && end == Size;
        var oldestAddress = long.MaxValue;
        var copied = false;
        var key = RecordKey.Create(RecordKey.BlobChunk, _ns, _digest.Hash);
        for (var index = first; index <= last; index++)
        {
            RecordKey.Write(key, RecordKey.BlobChunk, _ns, _digest.Hash, (uint)index);
            var record = await _tier.Store.ReadAsync(key, cancellationToken).ConfigureAwait(false);
            var chunkStart = (long)index * chunkPayload;
            var expected = (int)Math.Min(chunkPayload, Size - chunkStart);
            if (!record.Found || !ChecksummedRecord.TryGetPayload(record.Span, out var payload) || payload.Length != expected)
            {
                record.Memory?.Dispose();
                _tier.DropBrokenBlob(_ns, _digest, record.Found);
                throw new BlobUnavailableException($"blob {_digest} lost chunk {index} (evicted or corrupt)");
            }
            var address = record.Address;
            if (wholeRead && _tier.Capacity.IsInOlderHalf(address))
            {
                address = await _tier.Store.UpsertAsync(key, record.Memory!.Memory[..record.Length], cancellationToken).ConfigureAwait(false);
                _tier.Capacity.EvictIfNeeded();
                copied = true;
            }
            oldestAddress = Math.Min(oldestAddress, address);
            var from = (int)(Math.Max(offset, chunkStart) - chunkStart);
            var to = (int)(Math.Min(end, chunkStart + expected) - chunkStart);
            yield return BlobChunk.FromOwner(record.Memory!, ChecksummedRecord.ChecksumLength + from, to - from);
        }
        if (wholeRead && (copied || _tier.Capacity.IsInOlderHalf(_manifestAddress)))
        {
            await _tier.WriteManifestAsync(_ns, _digest, _manifest with { OldestChunkAddress = oldestAddress }, cancellationToken).ConfigureAwait(false);
        }
    }
}
