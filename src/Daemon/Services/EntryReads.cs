using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services;

/// <summary>Entry lookups shared by every front door: only complete entries are served, and every lookup is counted.</summary>
public sealed class EntryReads(ICacheStore store, PendingEntryWrites pending, WorkingSets workingSets, PrefetchedEntries prefetched, RequestCounters counters, CacheMetrics metrics)
{
    /// <summary>The entry for a key, or a <see cref="Refusal.NotFound"/> refusal when there is none or one of its outputs is gone.</summary>
    /// <param name="keyText">The key as the request gave it: 64 lowercase hex characters.</param>
    /// <param name="workingSet">The build's working set, recorded for the next build's prefetch; empty for none.</param>
    public async Task<Entry> GetCompleteAsync(NamespaceId ns, byte[] key, string keyText, string workingSet, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref counters[RequestCounter.EntryGets]);
        workingSets.NoteLookup(ns, workingSet, key, keyText);
        await pending.WaitAsync(ns, key, cancellationToken).ConfigureAwait(false);
        var prefetch = await prefetched.TakeAsync(ns, keyText, cancellationToken).ConfigureAwait(false);
        var entry = prefetch?.Entry ?? await store.GetEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            metrics.RecordLookup("entry", ns, hit: false);
            throw new RequestRefusedException(Refusal.NotFound, $"no entry for key {keyText}");
        }
        foreach (var output in entry.Outputs)
        {
            // An entry whose outputs were evicted would make the client fail halfway through a restore.
            if (!ContentDigest.TryParse(output.Digest, out var digest, out _)
                || !await store.ContainsBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref counters[RequestCounter.EntryIncomplete]);
                metrics.RecordLookup("entry", ns, hit: false);
                throw new RequestRefusedException(Refusal.NotFound, $"entry for key {keyText} is incomplete: output '{output.Path}' was evicted");
            }
        }
        if (prefetch is { Entry: not null, WasLocal: false })
        {
            prefetched.NoteUsed();
        }
        Interlocked.Increment(ref counters[RequestCounter.EntryHits]);
        metrics.RecordLookup("entry", ns, hit: true);
        return entry;
    }
}
