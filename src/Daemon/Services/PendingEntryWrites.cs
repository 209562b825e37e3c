using System.Collections.Concurrent;
using CacheFarm.Daemon.Storage;

namespace CacheFarm.Daemon.Services;

/// <summary>
/// Entry keys whose write has been accepted but not done yet. A lookup of one waits for the write, so a
/// build that asks right after a compile was handed over finds the entry instead of compiling again.
/// </summary>
public sealed class PendingEntryWrites
{
    /// <summary>Longest a lookup waits; past it the lookup answers from what is stored.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Namespace, string Key), Task> _pending = new();

    // Writes not done yet: with none, which is every lookup of a warm build, a lookup costs one read.
    private int _writes;

    /// <summary>Raised with the write a lookup starts waiting for, which should then not wait its turn.</summary>
    public event Action<Task>? Awaited;

    /// <summary>Marks the keys pending until <paramref name="written"/> completes, however it completes.</summary>
    public void Add(NamespaceId ns, IEnumerable<byte[]> keys, Task written)
    {
        var names = keys.Select(key => (ns.Name, Convert.ToHexStringLower(key))).ToList();
        Interlocked.Increment(ref _writes);
        foreach (var name in names)
        {
            _pending[name] = written;
        }
        written.ContinueWith(
            _ =>
            {
                foreach (var name in names)
                {
                    // A later write of the same key owns the slot now.
                    _pending.TryRemove(new KeyValuePair<(string, string), Task>(name, written));
                }
                Interlocked.Decrement(ref _writes);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits for a pending write of the key, if there is one.</summary>
    public async Task WaitAsync(NamespaceId ns, byte[] key, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _writes) == 0 || !_pending.TryGetValue((ns.Name, Convert.ToHexStringLower(key)), out var written))
        {
            return;
        }
        Awaited?.Invoke(written);
        try
        {
            await written.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Answer from the store: a miss costs a compile, a longer wait could cost more.
        }
    }
}
