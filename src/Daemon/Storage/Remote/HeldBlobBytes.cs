using System.Buffers;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Pooled bytes a remote reader fetched with its open: a read of all of them takes the buffer itself, any other read a copy.</summary>
/// <remarks>The usual read takes all the bytes once, so the common case copies nothing; disposing returns whatever was not taken.</remarks>
internal sealed class HeldBlobBytes(BlobChunk held) : IDisposable
{
    private BlobChunk? _held = held;

    /// <summary>How many bytes were fetched (fixed at the open, whether or not they were taken since).</summary>
    public int Length { get; } = held.Length;

    /// <summary>The bytes of [offset, offset+length), which must lie within <see cref="Length"/>.</summary>
    /// <exception cref="BlobUnavailableException">The bytes were taken whole by an earlier read.</exception>
    public BlobChunk Slice(int offset, int length)
    {
        if (offset == 0 && length == Length && Interlocked.Exchange(ref _held, null) is { } whole)
        {
            return whole;
        }
        var held = Volatile.Read(ref _held) ?? throw new BlobUnavailableException("a remote blob's fetched bytes were taken whole by an earlier read");
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        held.Data.Span.Slice(offset, length).CopyTo(copy);
        return BlobChunk.FromRented(copy, length);
    }

    public void Dispose() => Interlocked.Exchange(ref _held, null)?.Dispose();
}
