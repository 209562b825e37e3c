namespace CacheFarm.Daemon.Security;

/// <summary>A token bucket: up to <c>rate</c> requests per second, with a burst of one second's worth.</summary>
public sealed class TokenRateLimiter(double ratePerSecond)
{
    private readonly object _gate = new();
    private readonly double _rate = ratePerSecond;
    private double _available = ratePerSecond;
    private long _lastTicks = Environment.TickCount64;

    public bool TryAcquire()
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            _available = Math.Min(_rate, _available + ((now - _lastTicks) / 1000.0 * _rate));
            _lastTicks = now;
            if (_available < 1)
            {
                return false;
            }
            _available -= 1;
            return true;
        }
    }
}
