using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Hosting;

/// <summary>
/// Stops the daemon when its data directory or its socket is removed under it, as an <c>rm -rf</c> of the cache
/// does. Serving on would answer from a store no one can reach and fail on the files it can no longer create;
/// stopping lets the next client start a fresh daemon instead.
/// </summary>
internal sealed class DaemonPathsWatch(DataDirectoryLock directoryLock, IReadOnlyList<string> sockets, IHostApplicationLifetime lifetime, ILogger<DaemonPathsWatch> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private volatile bool _directoryLost;

    /// <summary>
    /// True once the data directory was found removed or replaced: nothing may be written to its path after
    /// that, not even the sockets' removal, because a fresh daemon may own the path by then.
    /// </summary>
    public bool DirectoryLost => _directoryLost || (_directoryLost = !directoryLock.IsInPlace);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (Problem() is { } problem)
                {
                    logger.LogError("{Problem} while cachefarmd ran; stopping, the next client starts a fresh daemon", problem);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping for another reason.
        }
    }

    // A socket can vanish without the directory: a stopping daemon whose directory was removed unlinks the
    // path it bound, which by then may be this daemon's socket. Stopping (with a checkpoint) is the way back.
    private string? Problem() =>
        DirectoryLost ? "the data directory was removed or replaced"
        : sockets.FirstOrDefault(s => !File.Exists(s)) is { } socket ? $"the socket {socket} was removed"
        : null;
}
