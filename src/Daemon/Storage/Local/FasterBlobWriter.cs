using System.Buffers;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Cuts an incoming blob into checksummed chunk records; the manifest goes in last, on commit.</summary>
internal sealed class FasterBlobWriter : IBlobWriter
{
    private readonly FasterLocalTier _tier;
    private readonly NamespaceId _ns;
    private readonly Protos.Wire.ContentDigest _digest;
    private readonly byte[] _key;
    private byte[]? _buffer;
    private int _filled;
    private int _chunks;
    private long _oldestAddress = long.MaxValue;
    private bool _committed;

    public FasterBlobWriter(FasterLocalTier tier, NamespaceId ns, Protos.Wire.ContentDigest digest)
    {
        _tier = tier;
        _ns = ns;
        _digest = digest;
        _key = RecordKey.Create(RecordKey.BlobChunk, ns, digest.Hash);
        _buffer = ArrayPool<byte>.Shared.Rent(ChecksummedRecord.ChecksumLength + FasterLayout.ChunkPayload);
    }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(FasterBlobWriter));
        while (!data.IsEmpty)
        {
            var room = FasterLayout.ChunkPayload - _filled;
            var take = Math.Min(room, data.Length);
            data.Span[..take].CopyTo(buffer.AsSpan(ChecksummedRecord.ChecksumLength + _filled));
            _filled += take;
            data = data[take..];
            if (_filled == FasterLayout.ChunkPayload)
            {
                await FlushChunkAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await FlushChunkAsync(cancellationToken).ConfigureAwait(false);
        }
        var oldest = _chunks == 0 ? _tier.Store.TailAddress : _oldestAddress;
        if (!_tier.Capacity.IsLive(oldest))
        {
            throw new StorageFullException($"blob {_digest} was evicted while being written; the local tier is too small for this load");
        }
        var manifest = new BlobManifest(_digest.Size, _chunks, FasterLayout.ChunkPayload, oldest);
        await _tier.WriteManifestAsync(_ns, _digest, manifest, cancellationToken).ConfigureAwait(false);
        _tier.CountWrite(_digest.Size);
        _committed = true;
    }

    private async ValueTask FlushChunkAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer!;
        ChecksummedRecord.WriteChecksum(buffer.AsSpan(ChecksummedRecord.ChecksumLength, _filled), buffer);
        await _tier.Capacity.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        RecordKey.Write(_key, RecordKey.BlobChunk, _ns, _digest.Hash, (uint)_chunks);
        var address = await _tier.Store.UpsertAsync(_key, buffer.AsMemory(0, ChecksummedRecord.ChecksumLength + _filled), cancellationToken).ConfigureAwait(false);
        _tier.Capacity.EvictIfNeeded();
        _oldestAddress = Math.Min(_oldestAddress, address);
        _chunks++;
        _filled = 0;
    }

    public ValueTask DisposeAsync()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (!_committed)
        {
            // No manifest was written, so the chunks are invisible already; tombstones just let
            // their space be reclaimed by compaction rather than waiting for FIFO eviction.
            for (var index = 0; index < _chunks; index++)
            {
                RecordKey.Write(_key, RecordKey.BlobChunk, _ns, _digest.Hash, (uint)index);
                _tier.Store.Delete(_key);
            }
        }
        return ValueTask.CompletedTask;
    }
}
