using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>Keeps counter snapshots every 10 s for 5 minutes, so rates over the recent past can be reported.</summary>
public sealed class RecentActivityWindow(RequestCounters requests, CompileCounters compiles) : BackgroundService
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    public const int Slots = 31;

    private readonly Queue<Snapshot> _snapshots = new();
    private readonly object _gate = new();

    /// <summary>Activity between the oldest kept snapshot (at most 5 minutes old) and now.</summary>
    public RecentActivity Current()
    {
        var now = Take();
        Snapshot from;
        lock (_gate)
        {
            from = _snapshots.Count > 0 ? _snapshots.Peek() : now;
        }
        return new RecentActivity
        {
            WindowSeconds = Math.Max(1, (now.AtMs - from.AtMs + 500) / 1000),
            Requests = Difference(now.Requests, from.Requests),
            CompileHits = now.Hits - from.Hits,
            CompileMisses = now.Misses - from.Misses,
        };
    }

    /// <summary>Starts the window afresh (after ZeroStats, whose reset would otherwise look like negative activity).</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _snapshots.Clear();
            _snapshots.Enqueue(Take());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Step);
        Record();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Record();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping, possibly before the host finished starting.
        }
    }

    private void Record()
    {
        var snapshot = Take();
        lock (_gate)
        {
            _snapshots.Enqueue(snapshot);
            while (_snapshots.Count > Slots)
            {
                _snapshots.Dequeue();
            }
        }
    }

    private Snapshot Take()
    {
        var compile = compiles.Snapshot();
        return new Snapshot(Environment.TickCount64, requests.Snapshot(), compile.CacheHits, compile.CacheMisses);
    }

    private static RequestStats Difference(RequestStats now, RequestStats then) => new()
    {
        BlobReads = now.BlobReads - then.BlobReads,
        BlobReadHits = now.BlobReadHits - then.BlobReadHits,
        BlobWrites = now.BlobWrites - then.BlobWrites,
        BlobWritesDeduplicated = now.BlobWritesDeduplicated - then.BlobWritesDeduplicated,
        BlobWriteRejections = now.BlobWriteRejections - then.BlobWriteRejections,
        EntryGets = now.EntryGets - then.EntryGets,
        EntryHits = now.EntryHits - then.EntryHits,
        EntryPuts = now.EntryPuts - then.EntryPuts,
        EntryIncomplete = now.EntryIncomplete - then.EntryIncomplete,
        BytesRead = now.BytesRead - then.BytesRead,
        BytesWritten = now.BytesWritten - then.BytesWritten,
        FindMissingCalls = now.FindMissingCalls - then.FindMissingCalls,
        Rpcs = now.Rpcs - then.Rpcs,
    };

    private readonly record struct Snapshot(long AtMs, RequestStats Requests, long Hits, long Misses);
}
