using System.Diagnostics;
using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Measurement;
using CacheFarm.LoadGen.Reporting;
using CacheFarm.LoadGen.Scenarios;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Running;

/// <summary>Runs one scenario against one target: preload, warm-up, measured window, clean-up.</summary>
internal sealed class ScenarioRunner(LoadGenOptions options)
{
    // In duration mode the clock ends a window; this only keeps the count bounded too.
    private const long UncappedIterationsPerUser = 10_000_000;
    // A user whose last 100 operations all failed is not measuring anything any more.
    private const int GiveUpAfterConsecutiveErrors = 100;

    public async Task<RunMetrics> RunAsync(IScenario scenario, ICacheTarget target, int? serverPid, int round, CancellationToken cancellationToken)
    {
        await scenario.PrepareAsync(target, cancellationToken);
        var limits = scenario.Limits;
        var userCount = Math.Min(options.Concurrency, limits.MaxUsers ?? int.MaxValue);
        // The warm-up's errors are not reported; the measured window gets its own samples.
        var warmupErrors = new ErrorSamples();
        var users = Enumerable.Range(0, userCount)
            .Select(_ => new VirtualUser(options.Workload.VerifyReads, warmupErrors))
            .ToArray();
        try
        {
            if (options.Warmup > TimeSpan.Zero)
            {
                var warmupIterations = limits.MaxWarmupIterationsPerUser ?? UncappedIterationsPerUser;
                await RunPhaseAsync(scenario, target, users, _ => warmupIterations, options.Warmup, cancellationToken);
            }
            var errors = new ErrorSamples();
            foreach (var user in users)
            {
                user.StartMeasuring(errors);
            }
            var (iterations, timeBound) = MeasuredBounds(limits, userCount);
            var window = await MeasureWindowAsync(
                serverPid,
                timeBound + options.OperationTimeout,
                () => RunPhaseAsync(scenario, target, users, iterations, timeBound, cancellationToken),
                cancellationToken);
            var totals = new OperationStats?[Enum.GetValues<OperationKind>().Length];
            foreach (var user in users)
            {
                user.Recorder.AddTo(totals);
            }
            return RunMetricsCalculator.From(scenario.Name, target.Spec.Name, round, userCount, totals, window, errors.Summaries());
        }
        finally
        {
            // Also after an interrupt: a shared redis must not keep a gigabyte of test blobs.
            await DiscardWrittenBlobsAsync(target);
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
    }

    private (Func<int, long> IterationsOfUser, TimeSpan TimeBound) MeasuredBounds(ScenarioLimits limits, int userCount)
    {
        if (options.Requests is { } requests)
        {
            // Split the count evenly; the first (requests % users) users do one more.
            return (user => (requests / userCount) + (user < requests % userCount ? 1 : 0), options.MaxRunTime);
        }
        var cap = limits.MaxMeasuredIterationsPerUser ?? UncappedIterationsPerUser;
        return (_ => cap, options.Duration);
    }

    private static async Task<MeasuredWindow> MeasureWindowAsync(
        int? serverPid, TimeSpan maxDuration, Func<Task> phase, CancellationToken cancellationToken)
    {
        var serverBefore = serverPid is { } pid ? await ProcessProbe.TryReadAsync(pid, cancellationToken) : null;
        var sampler = serverPid is { } sampled ? PeakRssSampler.Start(sampled, maxDuration) : null;
        var clientBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        TimeSpan elapsed;
        TimeSpan clientCpu;
        long? peak = null;
        try
        {
            await phase();
            elapsed = Stopwatch.GetElapsedTime(started);
            clientCpu = Environment.CpuUsage.TotalTime - clientBefore;
        }
        finally
        {
            // Stopped even when the phase throws, so the sampling loop never outlives its window.
            if (sampler is not null)
            {
                peak = await sampler.StopAsync();
            }
        }
        var serverAfter = serverPid is { } after ? await ProcessProbe.TryReadAsync(after, cancellationToken) : null;
        return new MeasuredWindow(elapsed, serverBefore, serverAfter, peak, clientCpu);
    }

    private static Task RunPhaseAsync(
        IScenario scenario, ICacheTarget target, VirtualUser[] users, Func<int, long> iterationsOfUser, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(users.Select((user, index) =>
            Task.Run(() => RunUserAsync(scenario, target, user, iterationsOfUser(index), deadline, cancellationToken), cancellationToken)));
    }

    private static async Task RunUserAsync(
        IScenario scenario, ICacheTarget target, VirtualUser user, long maxIterations, long deadline, CancellationToken cancellationToken)
    {
        for (long i = 0; i < maxIterations && Stopwatch.GetTimestamp() < deadline; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await scenario.RunIterationAsync(target, user, cancellationToken);
            if (user.Recorder.ConsecutiveErrors >= GiveUpAfterConsecutiveErrors)
            {
                return;
            }
        }
    }

    private static async Task DiscardWrittenBlobsAsync(ICacheTarget target)
    {
        try
        {
            // Not cancellable: bounded by the target's operation timeout instead.
            await target.DiscardWrittenBlobsAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The measurements are complete; a failed clean-up only costs the server memory.
            Console.Error.WriteLine($"warning: {target.Spec.Name}: could not delete the run's blobs: {ex.Message}");
        }
    }
}
