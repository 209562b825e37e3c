using System.Buffers;
using System.Text;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Accumulates named fields into a SHA-256 cache key. Every field is framed (name, length, value) so no two
/// different field lists can produce the same byte stream.
/// </summary>
public sealed class CacheKeyBuilder : IDisposable
{
    // A C++ compile's entry key covers thousands of traced inputs (a few hundred KiB of text).
    private const int KeyManagedLimit = 16 << 20;

    private readonly Sha256Accumulator _hash = new Sha256Accumulator(KeyManagedLimit);

    public CacheKeyBuilder Add(string name, string? value)
    {
        Frame(name, value is null ? -1 : Encoding.UTF8.GetByteCount(value));
        if (value is not null)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
            var length = Encoding.UTF8.GetBytes(value, buffer);
            _hash.Append(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return this;
    }

    public CacheKeyBuilder Add(string name, ReadOnlySpan<byte> value)
    {
        Frame(name, value.Length);
        _hash.Append(value);
        return this;
    }

    /// <summary>The key as 64 lowercase hex characters, the form the daemon's entry store takes.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    private void Frame(string name, int length)
    {
        Span<byte> header = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 16];
        var n = Encoding.UTF8.GetBytes(name, header);
        header[n++] = 0;
        BitConverter.TryWriteBytes(header[n..], length);
        _hash.Append(header[..(n + 4)]);
    }

    public void Dispose() => _hash.Dispose();
}
