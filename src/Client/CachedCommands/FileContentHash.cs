using System.Buffers;
using CacheFarm.Client.Rustc;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Client.CachedCommands;

/// <summary>SHA-256 of a file's bytes, read synchronously with one pooled buffer (local files: faster than async I/O).</summary>
public static class FileContentHash
{
    // One size for every file, so the pool hands every hash the same array: each new array costs a short-lived
    // process a page fault per 4 KiB on first touch, more than the extra reads of a smaller buffer cost.
    private const int ChunkBytes = 128 << 10;

    /// <param name="observe">Also sees every chunk hashed, so a caller that scans the bytes reads the file only once.</param>
    public static ContentDigest Compute(string path, Action<ReadOnlySpan<byte>>? observe = null)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        return Compute(handle, observe);
    }

    public static ContentDigest Compute(SafeFileHandle handle, Action<ReadOnlySpan<byte>>? observe = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var hash = new Sha256Accumulator();
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                observe?.Invoke(buffer.AsSpan(0, read));
                offset += read;
            }
            return ContentDigest.FromHash(hash.GetHashAndReset(), offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
