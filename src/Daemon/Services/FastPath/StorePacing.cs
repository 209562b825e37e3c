namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// When handed-over compiles are stored. Storing copies and hashes every output once more, and during a build
/// the rustc processes need the CPU more than the cache does. So a store runs when a core is spare (and the stores
/// after it too, while no hand-over arrives, for up to a second before the next check), once
/// hand-overs have paused for <see cref="LongPause"/> (the build is over, whatever else keeps the machine
/// busy), as soon as a lookup waits for one of them, when the queue reaches its high-water mark, and when the
/// daemon stops.
/// </summary>
internal sealed class StorePacing(int highWater)
{
    /// <summary>After a pause in hand-overs this long, stores run whatever the load.</summary>
    public static readonly TimeSpan LongPause = TimeSpan.FromSeconds(5);

    // Three quarters of a core unused: the build left a core idle.
    private const double SpareCoresToStore = 0.75;

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(200);

    // How long a core found spare counts as spare while no hand-over arrives: long enough that stores run back to
    // back once the build is over (one sample per store held them to five a second), short enough that a build
    // picking up again waits at most this long for the stores to notice.
    private static readonly TimeSpan SpareVerdictLifetime = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SpareCpu _spare = new();
    private long _lastArrivalTicks;
    private long _spareSeenTicks = long.MinValue;
    private volatile bool _hurry;
    private volatile bool _stopping;

    /// <summary>A compile was handed over: the build is running.</summary>
    public void Arrived() => Interlocked.Exchange(ref _lastArrivalTicks, Environment.TickCount64);

    /// <summary>Someone waits for a queued compile: store everything queued without waiting for spare CPU.</summary>
    public void Hurry()
    {
        _hurry = true;
        Wake();
    }

    /// <summary>The queue is empty: back to waiting for spare CPU.</summary>
    public void Calm() => _hurry = false;

    public void Stop()
    {
        _stopping = true;
        Wake();
    }

    /// <summary>Returns when the next queued compile should be stored; <paramref name="queued"/> counts those still waiting.</summary>
    public async Task WaitForTurnAsync(Func<int> queued)
    {
        var seen = Interlocked.Read(ref _spareSeenTicks);
        if (seen > Interlocked.Read(ref _lastArrivalTicks) && Environment.TickCount64 - seen < SpareVerdictLifetime.TotalMilliseconds)
        {
            return;
        }
        // The spare CPU measured while the previous store ran would count the store itself as spare.
        _spare.Sample();
        while (!_stopping && !_hurry && queued() < highWater
            && Environment.TickCount64 - Interlocked.Read(ref _lastArrivalTicks) < LongPause.TotalMilliseconds)
        {
            await _wake.WaitAsync(SampleInterval).ConfigureAwait(false);
            if (_spare.Sample() is not { } spare || spare >= SpareCoresToStore)
            {
                Interlocked.Exchange(ref _spareSeenTicks, Environment.TickCount64);
                return;
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }
}
