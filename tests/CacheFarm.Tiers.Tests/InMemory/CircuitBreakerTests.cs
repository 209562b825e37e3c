using CacheFarm.Daemon.Storage.Tiered;
using Microsoft.Extensions.Time.Testing;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>The breaker's states and backoff on a fake clock.</summary>
public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _clock = new();

    private CircuitBreaker Breaker() => new(failureThreshold: 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), _clock);

    // Opened by its third failure in a row, with the first backoff (1 s).
    private CircuitBreaker Opened()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
        {
            breaker.Failure();
        }
        return breaker;
    }

    [Fact]
    public void The_breaker_opens_at_the_failure_threshold_and_lets_one_probe_through_once_the_backoff_has_passed()
    {
        var breaker = Breaker();
        Assert.Null(breaker.Failure());
        Assert.Null(breaker.Failure());
        Assert.Equal("degraded", breaker.Health);
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.Failure());
        Assert.Equal("open", breaker.Health);
        Assert.False(breaker.TryEnter());

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(breaker.TryEnter());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(breaker.TryEnter());
        Assert.False(breaker.TryEnter());
        Assert.Equal(1, breaker.Opens);
    }

    [Fact]
    public void Each_failed_probe_doubles_the_backoff_up_to_its_maximum()
    {
        var breaker = Breaker();
        breaker.Failure();
        breaker.Failure();
        var backoffs = new List<TimeSpan?> { breaker.Failure() };
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(backoffs[^1]!.Value);
            Assert.True(breaker.TryEnter());
            backoffs.Add(breaker.Failure());
        }

        Assert.Equal([1, 2, 4, 8, 8, 8], backoffs.Select(b => b!.Value.TotalSeconds));
        Assert.Equal(6, breaker.Opens);
    }

    [Fact]
    public void A_successful_probe_closes_the_breaker_and_the_next_opening_starts_from_the_first_backoff()
    {
        var breaker = Opened();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter());
        breaker.Failure();
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(breaker.TryEnter());

        Assert.True(breaker.Success());
        Assert.Equal("healthy", breaker.Health);
        Assert.True(breaker.TryEnter());
        breaker.Failure();
        breaker.Failure();
        Assert.Equal(TimeSpan.FromSeconds(1), breaker.Failure());
    }

    [Fact]
    public void An_abandoned_probe_lets_the_next_caller_probe_at_once()
    {
        var breaker = Opened();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter());
        Assert.False(breaker.TryEnter());

        breaker.Abandon();

        Assert.True(breaker.TryEnter());
        Assert.Equal("degraded", breaker.Health);
    }
}
