using System.Buffers;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// Moves blobs between the store and files that a fast-path client names: a compile's outputs go into the
/// cache, and a hit's outputs come out, without their bytes crossing the socket. The fast path only
/// answers the daemon's own user, so the daemon reads and creates nothing that user could not.
/// </summary>
internal sealed class LocalFileBlobs(ICacheStore store, BlobUploads uploads, RequestCounters counters, CacheMetrics metrics)
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Stores the file's bytes under its digest, verified like any upload.</summary>
    public async Task<FileBlobResponse> StoreAsync(NamespaceId ns, FileBlobRequest request, CancellationToken cancellationToken)
    {
        var digest = RequestArguments.Digest(request.Digest);
        var path = AbsolutePath(request.Path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Also what a client in another mount namespace sees; it then sends the bytes instead.
            throw new RpcException(new Status(StatusCode.NotFound, $"cannot read {path}: {e.Message}"));
        }
        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length != digest.Size)
            {
                throw RequestArguments.Invalid($"{path} holds {length} bytes; the digest says {digest.Size}");
            }
            var outcome = await uploads.StoreAsync(ns, digest, ReadChunksAsync(handle, length, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new FileBlobResponse { AlreadyPresent = outcome == UploadOutcome.AlreadyPresent };
        }
    }

    /// <summary>Creates the file (which must not exist) with the blob's bytes; NOT_FOUND when the blob is not stored.</summary>
    public async Task<FileBlobResponse> RestoreAsync(NamespaceId ns, FileBlobRequest request, CancellationToken cancellationToken)
    {
        var digest = RequestArguments.Digest(request.Digest);
        var path = AbsolutePath(request.Path);
        Interlocked.Increment(ref counters.BlobReads);
        var reader = await store.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        metrics.RecordLookup("blob", ns, reader is not null);
        if (reader is null)
        {
            throw NotFound(digest);
        }
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            PreallocationSize = digest.Size,
        };
        FileStream file;
        try
        {
            file = new FileStream(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"cannot create {path}: {e.Message}"));
        }
        var complete = false;
        try
        {
            await using (file.ConfigureAwait(false))
            {
                await foreach (var chunk in reader.ReadAsync(0, digest.Size, cancellationToken).ConfigureAwait(false))
                {
                    using (chunk)
                    {
                        await file.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            // Exact bits, whatever the daemon's umask.
            File.SetUnixFileMode(path, OutputFileMode.Of(request.Executable));
            complete = true;
        }
        catch (BlobUnavailableException)
        {
            throw NotFound(digest);
        }
        catch (IOException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"cannot write {path}: {e.Message}"));
        }
        finally
        {
            if (!complete)
            {
                File.Delete(path);
            }
        }
        Interlocked.Increment(ref counters.BlobReadHits);
        Interlocked.Add(ref counters.BytesRead, digest.Size);
        return new FileBlobResponse();
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(SafeFileHandle handle, long length, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
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
                // The consumer copies each chunk before asking for the next, so one buffer serves the whole file.
                yield return buffer.AsMemory(0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string AbsolutePath(string path) =>
        !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path) && !path.Contains('\0')
            ? path
            : throw RequestArguments.Invalid($"path must be absolute, got '{path}'");

    private static RpcException NotFound(ContentDigest digest) =>
        new(new Status(StatusCode.NotFound, $"blob {digest.Hex}/{digest.Size} not found"));
}
