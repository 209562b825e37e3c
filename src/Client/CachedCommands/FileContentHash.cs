using System.Buffers;
using CacheFarm.Client.Rustc;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Client.CachedCommands;

/// <summary>SHA-256 of a file's bytes, read synchronously with one pooled buffer (local files: faster than async I/O).</summary>
public static class FileContentHash
{
    private const int ChunkBytes = 1 << 20;

    /// <param name="observe">Also sees every chunk hashed, so a caller that scans the bytes reads the file only once.</param>
    public static ContentDigest Compute(string path, Action<ReadOnlySpan<byte>>? observe = null)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        return Compute(handle, observe);
    }

    public static ContentDigest Compute(SafeFileHandle handle, Action<ReadOnlySpan<byte>>? observe = null)
    {
        var length = RandomAccess.GetLength(handle);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, Math.Max(length, 1)));
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
