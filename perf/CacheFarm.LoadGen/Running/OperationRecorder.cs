using System.Diagnostics;

namespace CacheFarm.LoadGen.Running;

/// <summary>One virtual user's tally, kept per user so recording needs no locks; merged when the run ends.</summary>
internal sealed class OperationRecorder(ErrorSamples errors)
{
    private readonly OperationStats?[] _stats = new OperationStats?[Enum.GetValues<OperationKind>().Length];

    /// <summary>Failures since the last success; a user that only fails stops early.</summary>
    public int ConsecutiveErrors { get; private set; }

    /// <summary>Times <paramref name="operation"/> (which returns the bytes it moved); false when it failed.</summary>
    public async Task<bool> MeasureAsync(OperationKind kind, Func<Task<long>> operation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long bytes;
        try
        {
            bytes = await operation();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StatsOf(kind).Errors++;
            ConsecutiveErrors++;
            errors.Add(kind, ex);
            return false;
        }
        var nanoseconds = (Stopwatch.GetTimestamp() - started) * 1_000_000_000 / Stopwatch.Frequency;
        var stats = StatsOf(kind);
        stats.Count++;
        stats.Bytes += bytes;
        stats.Latency.Record(nanoseconds);
        ConsecutiveErrors = 0;
        return true;
    }

    /// <summary>Adds this user's tally into <paramref name="totals"/>, indexed by <see cref="OperationKind"/>.</summary>
    public void AddTo(OperationStats?[] totals)
    {
        for (var i = 0; i < _stats.Length; i++)
        {
            if (_stats[i] is { } stats)
            {
                (totals[i] ??= new OperationStats()).Add(stats);
            }
        }
    }

    private OperationStats StatsOf(OperationKind kind) => _stats[(int)kind] ??= new OperationStats();
}
