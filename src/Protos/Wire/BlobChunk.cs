using System.Buffers;

namespace CacheFarm.Protos.Wire;

/// <summary>A slice of blob bytes in a pooled buffer, handed from producer to consumer exactly once.</summary>
/// <remarks>
/// The generated protobuf types allocate a fresh array per message; on the blob hot path that costs
/// more than the network send. A chunk owns its buffer: whoever receives it disposes it, which returns
/// the buffer to its pool (the marshaller does so right after serialising).
/// </remarks>
public sealed class BlobChunk : IDisposable
{
    private IDisposable? _owner;
    private byte[]? _rented;

    private BlobChunk(ReadOnlyMemory<byte> data, IDisposable? owner, byte[]? rented)
    {
        Data = data;
        _owner = owner;
        _rented = rented;
    }

    /// <summary>The chunk's bytes; valid until the chunk is disposed.</summary>
    public ReadOnlyMemory<byte> Data { get; private set; }

    public int Length => Data.Length;

    public static BlobChunk Empty { get; } = new(ReadOnlyMemory<byte>.Empty, null, null);

    /// <summary>Wraps memory that belongs to <paramref name="owner"/> (disposed with the chunk).</summary>
    public static BlobChunk FromOwner(IMemoryOwner<byte> owner, int offset, int length) =>
        new(owner.Memory.Slice(offset, length), owner, null);

    /// <summary>Wraps an array rented from <see cref="ArrayPool{T}.Shared"/> (returned with the chunk).</summary>
    public static BlobChunk FromRented(byte[] rented, int length) =>
        new(rented.AsMemory(0, length), null, rented);

    /// <summary>Wraps memory nobody needs to give back (a load generator's shared payload).</summary>
    public static BlobChunk Unpooled(ReadOnlyMemory<byte> data) => new(data, null, null);

    public void Dispose()
    {
        Data = ReadOnlyMemory<byte>.Empty;
        Interlocked.Exchange(ref _owner, null)?.Dispose();
        var rented = Interlocked.Exchange(ref _rented, null);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
