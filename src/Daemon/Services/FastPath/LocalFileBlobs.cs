using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// Moves blobs between the store and files that a fast-path client names: a compile's outputs go into the
/// cache, and a hit's outputs come out, without their bytes crossing the socket. The fast path only
/// answers the daemon's own user, so the daemon reads and creates nothing that user could not.
/// </summary>
internal sealed class LocalFileBlobs(ICacheStore store, BlobUploads uploads, RequestCounters counters, CacheMetrics metrics)
{
    /// <summary>Stores the file's bytes under its digest, verified like any upload.</summary>
    public async Task<FileBlobResponse> StoreAsync(NamespaceId ns, FileBlobRequest request, CancellationToken cancellationToken)
    {
        var digest = RequestArguments.Digest(request.Digest);
        using var handle = ClientFiles.OpenToStore(request.Path, digest);
        var outcome = await uploads.StoreAsync(ns, digest, ClientFiles.ReadChunksAsync(handle, digest.Size, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new FileBlobResponse { AlreadyPresent = outcome == UploadOutcome.AlreadyPresent };
    }

    /// <summary>Creates the file (which must not exist) with the blob's bytes; NOT_FOUND when the blob is not stored.</summary>
    public async Task<FileBlobResponse> RestoreAsync(NamespaceId ns, FileBlobRequest request, CancellationToken cancellationToken)
    {
        var digest = RequestArguments.Digest(request.Digest);
        var path = ClientFiles.AbsolutePath(request.Path);
        Interlocked.Increment(ref counters[RequestCounter.BlobReads]);
        using var reader = await store.OpenBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        metrics.RecordLookup("blob", ns, reader is not null);
        if (reader is null)
        {
            throw RequestRefusedException.BlobNotFound(digest);
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
            throw new RequestRefusedException(Refusal.Precondition, $"cannot create {path}: {e.Message}");
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
            throw RequestRefusedException.BlobNotFound(digest);
        }
        catch (IOException e)
        {
            throw new RequestRefusedException(Refusal.NoRoom, $"cannot write {path}: {e.Message}");
        }
        finally
        {
            if (!complete)
            {
                File.Delete(path);
            }
        }
        Interlocked.Increment(ref counters[RequestCounter.BlobReadHits]);
        Interlocked.Add(ref counters[RequestCounter.BytesRead], digest.Size);
        return new FileBlobResponse();
    }
}
