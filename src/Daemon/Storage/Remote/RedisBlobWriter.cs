using System.Buffers;
using StackExchange.Redis;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Collects a small blob in a pooled buffer and stores it with one SET on commit.</summary>
internal sealed class RedisBlobWriter(RedisTier tier, RedisKey key, long size) : IBlobWriter
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent((int)size);
    private int _filled;

    public ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(RedisBlobWriter));
        if (_filled + data.Length > size)
        {
            throw new InvalidOperationException($"more than the declared {size} bytes written");
        }
        data.Span.CopyTo(buffer.AsSpan(_filled));
        _filled += data.Length;
        return ValueTask.CompletedTask;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(RedisBlobWriter));
        if (!await tier.SetAsync(key, buffer.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false))
        {
            // The command may still read the buffer when it is finally sent; let the GC have it.
            _buffer = null;
            throw new TimeoutException($"Redis SET of {key} did not complete in time");
        }
    }

    public ValueTask DisposeAsync()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return ValueTask.CompletedTask;
    }
}
