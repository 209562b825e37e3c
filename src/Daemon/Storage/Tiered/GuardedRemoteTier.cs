using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>A remote tier behind its mode, circuit breaker, existence cache and counters: failures become misses.</summary>
internal sealed class GuardedRemoteTier : IAsyncDisposable
{
    private readonly ILogger _logger;

    public GuardedRemoteTier(ICacheTier tier, TierMode mode, CircuitBreaker breaker, ExistenceCache existence, ILogger logger)
    {
        Tier = tier;
        Mode = mode;
        Breaker = breaker;
        Existence = existence;
        _logger = logger;
    }

    public ICacheTier Tier { get; }

    public TierMode Mode { get; }

    public CircuitBreaker Breaker { get; }

    public ExistenceCache Existence { get; }

    public TierCounters Counters { get; } = new();

    public string Name => Tier.Name;

    public bool CanRead => Mode.CanRead();

    public bool CanWrite => Mode.CanWrite();

    public bool Holds(ContentDigest digest) => digest.Size <= Tier.MaxBlobSize;

    /// <summary>The breaker's view, made "degraded" when the tier knows it is unreachable before any request fails.</summary>
    public string Health => Breaker.Health is "healthy" && Tier.IsDisconnected ? "degraded" : Breaker.Health;

    /// <summary>Runs one request through the breaker; a failure or timeout is counted and yields <paramref name="fallback"/>.</summary>
    /// <exception cref="OperationCanceledException">Only when the caller itself gave up.</exception>
    public async Task<T> RunAsync<TState, T>(TState state, Func<ICacheTier, TState, CancellationToken, ValueTask<T>> request, T fallback, CancellationToken cancellationToken)
    {
        if (!TryEnter())
        {
            return fallback;
        }
        try
        {
            var result = await request(Tier, state, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Breaker.Abandon();
            throw;
        }
        catch (Exception e)
        {
            Failed(e);
            return fallback;
        }
    }

    /// <summary>Admits a request (counted) or refuses it because the breaker is open (counted as skipped).</summary>
    public bool TryEnter()
    {
        if (!Breaker.TryEnter())
        {
            Interlocked.Increment(ref Counters[TierCounter.SkippedRequests]);
            return false;
        }
        Interlocked.Increment(ref Counters[TierCounter.Requests]);
        return true;
    }

    public void Succeeded()
    {
        if (Breaker.Success())
        {
            _logger.LogWarning("{Tier} tier is answering again; using it", Name);
        }
    }

    public void Failed(Exception error)
    {
        if (error is TierRefusedException)
        {
            // An answer, not a failure: the tier is up, this one request is lost.
            Succeeded();
            _logger.LogDebug("{Tier} tier refused a request: {Reason}", Name, error.Message);
            return;
        }
        if (error is TimeoutException or OperationCanceledException)
        {
            Interlocked.Increment(ref Counters[TierCounter.Timeouts]);
        }
        else
        {
            Interlocked.Increment(ref Counters[TierCounter.Errors]);
        }
        if (Breaker.Failure() is { } backoff)
        {
            _logger.LogWarning("{Tier} tier failing ({Error}); skipping it for {Seconds:0.#} s", Name, error.Message, backoff.TotalSeconds);
        }
    }

    /// <summary>Removes a copy found damaged, so that the next write puts a good one back; best effort, and only where this daemon may write.</summary>
    public async Task RemoveDamagedAsync<TState>(TState state, Func<ICacheTier, TState, CancellationToken, ValueTask> delete)
    {
        if (!CanWrite)
        {
            return;
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await delete(Tier, state, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The copy stays a counted miss until a write replaces it.
        }
    }

    /// <summary>The outcome of an admitted request the caller abandoned.</summary>
    public void Abandoned() => Breaker.Abandon();

    public ValueTask DisposeAsync() => Tier.DisposeAsync();
}
