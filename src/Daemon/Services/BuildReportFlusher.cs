using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services;

/// <summary>Saves changed build reports every second and once more when the daemon stops, so reports survive a restart.</summary>
public sealed class BuildReportFlusher(BuildReportStore store, ILogger<BuildReportFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final flush follows in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Flush();
    }

    private void Flush()
    {
        try
        {
            store.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk costs the reports, never the cache.
            logger.LogWarning("could not save build reports: {Message}", e.Message);
        }
    }
}
