using System.Collections.Concurrent;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>Entries a prefetch has brought from a remote tier, or is bringing, that no lookup has taken yet; a lookup takes its own from here.</summary>
public sealed class PrefetchedEntries(PrefetchCounters counters)
{
    private readonly ConcurrentDictionary<(string Namespace, string Key), Task<PrefetchedEntry?>> _entries = new();

    /// <summary>Entries held for lookups, including those still on their way.</summary>
    public int Count => _entries.Count;

    /// <summary>Claims a key for a prefetch, which then completes it; null when another prefetch holds it already.</summary>
    internal TaskCompletionSource<PrefetchedEntry?>? TryClaim((string Namespace, string Key) id)
    {
        var fetching = new TaskCompletionSource<PrefetchedEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _entries.TryAdd(id, fetching.Task) ? fetching : null;
    }

    /// <summary>Hands the outcome to any lookup waiting for it; only an entry that came from a remote tier stays held for a later one.</summary>
    internal void Complete((string Namespace, string Key) id, TaskCompletionSource<PrefetchedEntry?> fetching, PrefetchedEntry? result)
    {
        fetching.SetResult(result);
        if (result is not { Entry: not null, WasLocal: false })
        {
            // A local entry, or none: the lookup finds it the usual way.
            Discard(id, fetching.Task);
        }
    }

    /// <summary>Drops a prefetch's own entry (not one a later prefetch brought for the same key); true when no lookup had taken it.</summary>
    internal bool Discard((string Namespace, string Key) id, Task<PrefetchedEntry?> fetching) =>
        _entries.TryRemove(new KeyValuePair<(string, string), Task<PrefetchedEntry?>>(id, fetching));

    /// <summary>Drops whatever was prefetched for a key just stored: a later lookup must read what the store now holds.</summary>
    public void Forget(NamespaceId ns, string keyHex) => _entries.TryRemove((ns.Name, keyHex), out _);

    /// <summary>What a prefetch found for the key (waiting for it while it is on its way), or null when no prefetch holds it: the lookup then asks the store.</summary>
    public async ValueTask<PrefetchedEntry?> TakeAsync(NamespaceId ns, string keyHex, CancellationToken cancellationToken)
    {
        if (_entries.IsEmpty || !_entries.TryRemove((ns.Name, keyHex), out var fetching))
        {
            return null;
        }
        return await fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts an entry a prefetch brought from a remote tier that a lookup then served whole.</summary>
    public void NoteUsed() => Interlocked.Increment(ref counters[PrefetchCounter.Used]);
}
