namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// When handed-over compiles are stored. Storing copies and hashes every output once more, and during a build
/// the rustc processes need the CPU more than the cache does. So a store runs when a core is spare, once
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

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SpareCpu _spare = new();
    private long _lastArrivalTicks;
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
        // The spare CPU measured while the previous store ran would count the store itself as spare.
        _spare.Sample();
        while (!_stopping && !_hurry && queued() < highWater
            && Environment.TickCount64 - Interlocked.Read(ref _lastArrivalTicks) < LongPause.TotalMilliseconds)
        {
            await _wake.WaitAsync(SampleInterval).ConfigureAwait(false);
            if (_spare.Sample() is not { } spare || spare >= SpareCoresToStore)
            {
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
