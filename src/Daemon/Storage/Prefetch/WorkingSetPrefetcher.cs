namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>Runs one build's prefetch: reads its working set's record and brings the recorded entries into the local tier, bounded.</summary>
internal sealed class WorkingSetPrefetcher(ICacheStore store, PrefetchedEntries prefetched, WorkingSetOptions options, PrefetchCounters counters, ILogger logger)
{
    public async Task RunAsync(WorkingSet set, WorkingSetPrefetch prefetch)
    {
        using var bounds = CancellationTokenSource.CreateLinkedTokenSource(prefetch.Token);
        try
        {
            var record = await store.GetEntryAsync(set.Namespace, set.RecordKey, prefetch.Token).ConfigureAwait(false);
            if (record is null || WorkingSetRecord.TryParse(record, options.MaxKeys) is not { } keys)
            {
                return;
            }
            Interlocked.Increment(ref counters[PrefetchCounter.Started]);
            logger.LogInformation("prefetching {Count} entries of working set {Name}", keys.Count, set.Name);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = bounds.Token };
            await Parallel.ForEachAsync(keys, parallel, async (key, ct) =>
            {
                // Untaken entries are held in memory until their lookup or the build's end, so they count too.
                if (prefetch.Bytes >= options.ByteBudget || prefetched.Count >= options.MaxUntakenEntries)
                {
                    await bounds.CancelAsync().ConfigureAwait(false);
                    return;
                }
                await PrefetchAsync(set, prefetch, key, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounds.IsCancellationRequested && !prefetch.Token.IsCancellationRequested)
        {
            Interlocked.Increment(ref counters[PrefetchCounter.StoppedBudget]);
        }
        catch (OperationCanceledException)
        {
            // The build ended or the daemon is stopping.
        }
        catch (Exception e)
        {
            // The record could not be read: this build goes without a prefetch.
            Interlocked.Increment(ref counters[PrefetchCounter.Failures]);
            logger.LogWarning("prefetch of working set {Name} stopped: {Error}", set.Name, e.Message);
        }
    }

    private async Task PrefetchAsync(WorkingSet set, WorkingSetPrefetch prefetch, byte[] key, CancellationToken cancellationToken)
    {
        var keyHex = Convert.ToHexStringLower(key);
        if (set.HasSeen(keyHex))
        {
            return;
        }
        var id = (set.Namespace.Name, keyHex);
        if (prefetched.TryClaim(id) is not { } fetching)
        {
            return;
        }
        PrefetchedEntry? result = null;
        try
        {
            result = await store.PrefetchEntryAsync(set.Namespace, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // One entry a tier failed to give is left to its lookup, which tries every tier again; the rest go on.
            Interlocked.Increment(ref counters[PrefetchCounter.Failures]);
            logger.LogDebug("prefetch of an entry of working set {Name} failed: {Error}", set.Name, e.Message);
        }
        finally
        {
            prefetched.Complete(id, fetching, result);
        }
        Count(prefetch, id, fetching.Task, result);
    }

    private void Count(WorkingSetPrefetch prefetch, (string, string) id, Task<PrefetchedEntry?> fetching, PrefetchedEntry? result)
    {
        if (result is null)
        {
            return;
        }
        if (result.Entry is null)
        {
            Interlocked.Increment(ref counters[PrefetchCounter.Missing]);
            return;
        }
        Interlocked.Add(ref counters[PrefetchCounter.Blobs], result.Fetched.Blobs);
        Interlocked.Add(ref counters[PrefetchCounter.Bytes], result.Fetched.Bytes);
        prefetch.AddBytes(result.Fetched.Bytes);
        // The entry's outcome is counted last: whoever watches it sees its blobs and bytes counted already.
        if (result.WasLocal)
        {
            Interlocked.Increment(ref counters[PrefetchCounter.AlreadyLocal]);
        }
        else
        {
            prefetch.Fetched.Enqueue((id, fetching));
            Interlocked.Increment(ref counters[PrefetchCounter.Entries]);
        }
    }
}
