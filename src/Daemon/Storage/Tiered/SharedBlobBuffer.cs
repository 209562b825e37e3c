using System.Buffers;
using System.Runtime.InteropServices;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>A verified blob's bytes in pooled memory, shared by the reader serving it and the backfills copying it.</summary>
/// <remarks>The memory goes back to its pool when the last holder lets go.</remarks>
internal sealed class SharedBlobBuffer
{
    private readonly IDisposable _owner;
    private int _holders = 1;

    /// <summary>Takes over <paramref name="owner"/>; the creator holds the first reference.</summary>
    public SharedBlobBuffer(ReadOnlyMemory<byte> data, IDisposable owner)
    {
        Data = data;
        _owner = owner;
    }

    public ReadOnlyMemory<byte> Data { get; }

    public int Length => Data.Length;

    /// <summary>Wraps an array rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static SharedBlobBuffer FromRented(byte[] rented, int length) => new(rented.AsMemory(0, length), new RentedArray(rented));

    /// <summary>One more holder, who lets go with <see cref="Release"/>.</summary>
    public SharedBlobBuffer Retain()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    /// <summary>One more holder as a memory owner; disposing the handle lets go.</summary>
    public IMemoryOwner<byte> Share() => new Handle(Retain());

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            _owner.Dispose();
        }
    }

    private sealed class Handle(SharedBlobBuffer buffer) : IMemoryOwner<byte>
    {
        private SharedBlobBuffer? _buffer = buffer;

        // Holders only read; the writable view exists because IMemoryOwner demands one.
        public Memory<byte> Memory => MemoryMarshal.AsMemory(_buffer?.Data ?? ReadOnlyMemory<byte>.Empty);

        public void Dispose() => Interlocked.Exchange(ref _buffer, null)?.Release();
    }

    private sealed class RentedArray(byte[] rented) : IDisposable
    {
        public void Dispose() => ArrayPool<byte>.Shared.Return(rented);
    }
}
