
namespace CacheFarm.Daemon.Hosting;

/// <summary>Stops a daemon that was auto-started by the client once no request has arrived for the idle timeout.</summary>
internal sealed class IdleShutdown(TimeSpan timeout, IHostApplicationLifetime lifetime) : BackgroundService
{
    private long _lastActivityTicks = Environment.TickCount64;
    private int _inFlight;

    public void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Exchange(ref _lastActivityTicks, Environment.TickCount64);
    }

    public void Leave()
    {
        Interlocked.Exchange(ref _lastActivityTicks, Environment.TickCount64);
        Interlocked.Decrement(ref _inFlight);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(timeout.TotalSeconds / 4, 0.25, 5)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var idleMs = Environment.TickCount64 - Interlocked.Read(ref _lastActivityTicks);
                if (Volatile.Read(ref _inFlight) == 0 && idleMs >= timeout.TotalMilliseconds)
                {
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping, possibly before the host finished starting.
        }
    }
}
