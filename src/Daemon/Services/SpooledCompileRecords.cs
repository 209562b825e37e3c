using CacheFarm.Protos.Wire;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services;

/// <summary>
/// Counts the compile records wrappers left in the data directory's spool (<see cref="CompileRecordSpool"/>) while
/// this daemon was starting: once as it starts, then every second, since a wrapper may leave one just after a pass.
/// </summary>
public sealed class SpooledCompileRecords(string dataDirectory, CompileCounters compiles, ILogger<SpooledCompileRecords> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Take();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Take();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is left waits for the next daemon.
        }
    }

    private void Take()
    {
        try
        {
            foreach (var record in CompileRecordSpool.Take(dataDirectory))
            {
                compiles.Record(record);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("could not read the compile-record spool: {Message}", e.Message);
        }
    }
}
