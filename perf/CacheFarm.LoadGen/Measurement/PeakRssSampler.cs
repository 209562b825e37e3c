namespace CacheFarm.LoadGen.Measurement;

/// <summary>Samples a process's VmRSS in the background and keeps the highest value seen.</summary>
/// <remarks>
/// VmHWM alone would report the peak since the process started (preloads, earlier scenarios);
/// sampling gives the peak of the measured window itself.
/// </remarks>
internal sealed class PeakRssSampler
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    private PeakRssSampler(int pid, TimeSpan maxDuration)
    {
        _pid = pid;
        _loop = SampleAsync((int)(maxDuration / Interval) + 1);
    }

    /// <summary>Starts sampling for at most <paramref name="maxDuration"/>.</summary>
    public static PeakRssSampler Start(int pid, TimeSpan maxDuration) => new(pid, maxDuration);

    /// <summary>Stops sampling and returns the peak in bytes, or null if no sample could be taken.</summary>
    public async Task<long?> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        // One last reading, so that a window shorter than the interval still has a sample.
        await TakeSampleAsync(CancellationToken.None);
        return _peak > 0 ? _peak : null;
    }

    private async Task SampleAsync(int maxSamples)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            for (var i = 0; i < maxSamples && await timer.WaitForNextTickAsync(_stop.Token); i++)
            {
                await TakeSampleAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the measured window is over.
        }
    }

    private async Task TakeSampleAsync(CancellationToken cancellationToken)
    {
        var sample = await ProcessProbe.TryReadAsync(_pid, cancellationToken);
        if (sample is not null)
        {
            _peak = Math.Max(_peak, sample.ResidentBytes);
        }
    }
}
