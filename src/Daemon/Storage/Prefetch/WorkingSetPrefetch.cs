using System.Collections.Concurrent;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>One build's prefetch of its working set: the task that runs it, how to stop it, and the entries it brought that no lookup has taken yet.</summary>
internal sealed class WorkingSetPrefetch : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private long _bytes;

    /// <summary>Starts <paramref name="run"/> at once, so the prefetch is never seen without the task that runs it.</summary>
    public WorkingSetPrefetch(Func<WorkingSetPrefetch, Task> run, CancellationToken stopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Run = Task.Run(() => run(this));
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The prefetch itself; it never faults.</summary>
    public Task Run { get; }

    /// <summary>Entries this prefetch brought, with the task that holds each for its lookup; those still held when it ends were wasted.</summary>
    public ConcurrentQueue<((string Namespace, string Key) Id, Task<PrefetchedEntry?> Fetching)> Fetched { get; } = new();

    /// <summary>Output bytes brought so far, against the budget.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Stop() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
