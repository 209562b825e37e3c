namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Skips a tier after consecutive failures and lets one probe through after a backoff that doubles while probes fail.</summary>
internal sealed class CircuitBreaker
{
    private readonly object _gate = new();
    private readonly int _failureThreshold;
    private readonly TimeSpan _firstBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeProvider _time;
    private int _consecutiveFailures;
    private long _openUntil;
    private TimeSpan _backoff;
    private bool _probing;
    private long _opens;

    public CircuitBreaker(int failureThreshold, TimeSpan firstBackoff, TimeSpan maxBackoff, TimeProvider time)
    {
        _failureThreshold = failureThreshold;
        _firstBackoff = firstBackoff;
        _maxBackoff = maxBackoff;
        _time = time;
        _backoff = firstBackoff;
    }

    public long Opens => Interlocked.Read(ref _opens);

    /// <summary>"healthy", "degraded" (recent failures, or a probe under way) or "open".</summary>
    public string Health
    {
        get
        {
            lock (_gate)
            {
                return _openUntil != 0 && !_probing ? "open" : _consecutiveFailures > 0 || _probing ? "degraded" : "healthy";
            }
        }
    }

    /// <summary>True when a request may go to the tier: closed, or open with its backoff over (this caller is the probe).</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_openUntil == 0)
            {
                return true;
            }
            if (_probing || _time.GetTimestamp() < _openUntil)
            {
                return false;
            }
            _probing = true;
            return true;
        }
    }

    /// <summary>Records a success; true when it closed an open breaker.</summary>
    public bool Success()
    {
        lock (_gate)
        {
            var wasOpen = _openUntil != 0;
            _consecutiveFailures = 0;
            _openUntil = 0;
            _probing = false;
            _backoff = _firstBackoff;
            return wasOpen;
        }
    }

    /// <summary>Records a failure; returns the backoff when it opened (or re-opened) the breaker.</summary>
    public TimeSpan? Failure()
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            if (_probing)
            {
                _probing = false;
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _maxBackoff.Ticks));
                return Open();
            }
            return _openUntil == 0 && _consecutiveFailures >= _failureThreshold ? Open() : null;
        }
    }

    /// <summary>A request ended without telling anything about the tier (the caller gave up).</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (_probing)
            {
                // Let the next caller probe at once rather than leave the breaker waiting on nobody.
                _probing = false;
            }
        }
    }

    private TimeSpan Open()
    {
        _openUntil = _time.GetTimestamp() + (long)(_backoff.TotalSeconds * _time.TimestampFrequency);
        Interlocked.Increment(ref _opens);
        return _backoff;
    }
}
