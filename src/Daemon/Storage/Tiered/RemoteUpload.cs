using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Carries out one write-behind job against one remote tier, skipping blobs the tier already holds.</summary>
internal sealed class RemoteUpload(GuardedRemoteTier target, ICacheTier local, UploadLocalReads localReads, ILogger logger)
{
    /// <summary>True when the tier holds the blob or entry afterwards; false when the write was lost.</summary>
    public async Task<bool> RunAsync(WriteBehindJob job, CancellationToken cancellationToken)
    {
        if (job.IsEntry)
        {
            var stored = await target.RunAsync(job, static async (tier, j, ct) =>
            {
                await tier.PutEntryAsync(j.Ns, j.EntryKey, j.Envelope, ct).ConfigureAwait(false);
                return true;
            }, false, cancellationToken).ConfigureAwait(false);
            Count(job, stored, job.Envelope!.Length);
            return stored;
        }
        if (!job.IsBackfill)
        {
            var present = target.Existence.Lookup(job.Ns, job.Digest)
                ?? await target.RunAsync(job, static async (tier, j, ct) => (bool?)await tier.ContainsBlobAsync(j.Ns, j.Digest, ct).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
            if (present is null)
            {
                return false;
            }
            target.Existence.Record(job.Ns, job.Digest, present.Value);
            if (present.Value)
            {
                Interlocked.Increment(ref target.Counters[TierCounter.DeduplicatedWrites]);
                return true;
            }
        }
        if (!target.TryEnter())
        {
            return false;
        }
        try
        {
            if (!await CopyBlobAsync(job, cancellationToken).ConfigureAwait(false))
            {
                target.Abandoned();
                return false;
            }
            target.Succeeded();
        }
        catch (Exception e) when (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            target.Abandoned();
            return false;
        }
        catch (Exception e)
        {
            target.Failed(e);
            logger.LogDebug(e, "write-behind of {Digest} to {Tier} failed", job.Digest, target.Name);
            return false;
        }
        target.Existence.Record(job.Ns, job.Digest, true);
        Count(job, true, job.Digest.Size);
        return true;
    }

    /// <summary>False when the local copy is gone (evicted before its upload ran): nothing to send.</summary>
    private async Task<bool> CopyBlobAsync(WriteBehindJob job, CancellationToken cancellationToken)
    {
        await using var writer = await target.Tier.BeginBlobWriteAsync(job.Ns, job.Digest, cancellationToken).ConfigureAwait(false);
        if (job.Data is { } data)
        {
            await writer.AppendAsync(data, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var reader = await local.OpenBlobAsync(job.Ns, job.Digest, cancellationToken).ConfigureAwait(false);
            if (reader is null)
            {
                return false;
            }
            localReads.Record(reader.Size);
            try
            {
                await foreach (var chunk in reader.ReadAsync(0, reader.Size, cancellationToken).ConfigureAwait(false))
                {
                    using (chunk)
                    {
                        await writer.AppendAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (BlobUnavailableException)
            {
                return false;
            }
        }
        await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void Count(WriteBehindJob job, bool stored, long bytes)
    {
        if (!stored)
        {
            return;
        }
        Interlocked.Increment(ref target.Counters[TierCounter.Writes]);
        Interlocked.Add(ref target.Counters[TierCounter.BytesWritten], bytes);
        if (job.IsBackfill)
        {
            Interlocked.Increment(ref target.Counters[TierCounter.Backfills]);
        }
    }
}
