using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services;

/// <summary>How an upload ended when it did not fail.</summary>
public enum UploadOutcome
{
    Stored,
    AlreadyPresent,
}

/// <summary>One blob upload: refused early when too big or already present, hashed while streaming, committed only when it verifies.</summary>
internal sealed class VerifiedUpload(ICacheStore store, BlobWriteLocks writeLocks, NamespaceId ns, ContentDigest digest)
{
    public async Task<UploadOutcome> RunAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> frames, CancellationToken cancellationToken)
    {
        if (digest.Size > store.MaxBlobSize)
        {
            throw Exhausted($"blob of {digest.Size} bytes exceeds the largest this cache stores ({store.MaxBlobSize} bytes)");
        }
        // Checked under the lock only: another writer of the same blob may finish while this one waits for it.
        using var lease = await writeLocks.AcquireAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        if (await store.ContainsBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false))
        {
            return UploadOutcome.AlreadyPresent;
        }
        try
        {
            await using var writer = await store.BeginBlobWriteAsync(ns, digest, cancellationToken).ConfigureAwait(false);
            using var verifier = new Sha256Verifier(digest);
            await foreach (var data in frames.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!verifier.TryAppend(data.Span))
                {
                    throw RequestArguments.Invalid($"size mismatch: more bytes sent than the digest's {digest.Size}");
                }
                await writer.AppendAsync(data, cancellationToken).ConfigureAwait(false);
            }
            if (!verifier.TryVerify(out var error))
            {
                throw RequestArguments.Invalid(error);
            }
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            return UploadOutcome.Stored;
        }
        catch (StorageFullException e)
        {
            throw Exhausted(e.Message);
        }
    }

    private static RequestRefusedException Exhausted(string message) => new(Refusal.NoRoom, message);
}
