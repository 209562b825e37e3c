using System.Buffers;
using CacheFarm.Protos.Wire;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Opening and reading the files a fast-path client names for storing, with its errors for paths it gets wrong.</summary>
internal static class ClientFiles
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Opens a file that must hold exactly <paramref name="digest"/>'s number of bytes.</summary>
    public static SafeFileHandle OpenToStore(string path, ContentDigest digest)
    {
        var fullPath = AbsolutePath(path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Also what a client in another mount namespace sees; it then sends the bytes instead.
            throw new RequestRefusedException(Refusal.NotFound, $"cannot read {fullPath}: {e.Message}");
        }
        var length = RandomAccess.GetLength(handle);
        if (length != digest.Size)
        {
            handle.Dispose();
            throw RequestArguments.Invalid($"{fullPath} holds {length} bytes; the digest says {digest.Size}");
        }
        return handle;
    }

    /// <summary>The file's bytes in chunks of one pooled buffer, which the consumer must copy before asking for the next.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(SafeFileHandle handle, long length, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long offset = 0; offset < length;)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(ChunkBytes, length - offset)), offset, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // Shrank while being read; the digest check fails on the short count.
                    yield break;
                }
                offset += read;
                yield return buffer.AsMemory(0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string AbsolutePath(string path) =>
        !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path) && !path.Contains('\0')
            ? path
            : throw RequestArguments.Invalid($"path must be absolute, got '{path}'");
}
