using System.Collections.Concurrent;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>One build's prefetch of its working set: the task that runs it, how to stop it, and the entries it brought that no lookup has taken yet.</summary>
internal sealed class WorkingSetPrefetch : IDisposable
{
    private readonly CancellationTokenSource _stop;

    public WorkingSetPrefetch(CancellationToken stopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public CancellationToken Token => _stop.Token;

    public Task Run { get; set; } = Task.CompletedTask;

    /// <summary>Namespace and key (hex) of entries this prefetch fetched; the ones still untaken when it ends were wasted.</summary>
    public ConcurrentQueue<(string Namespace, string Key)> Fetched { get; } = new();

    /// <summary>Output bytes brought so far, against the budget.</summary>
    public long Bytes;

    public void Stop() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
