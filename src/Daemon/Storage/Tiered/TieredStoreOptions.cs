namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Settings of the tier chain itself: write-behind, backfill, existence cache and breaker backoff.</summary>
public sealed record TieredStoreOptions
{
    /// <summary>Writes waiting for each remote tier before new ones are dropped (and counted).</summary>
    public int WriteBehindQueue { get; init; } = 4096;

    /// <summary>Copy hits in slower tiers into the faster ones.</summary>
    public bool Backfill { get; init; } = true;

    /// <summary>How long a remote tier's "I hold this blob" is believed without asking again; zero disables the cache.</summary>
    public TimeSpan ExistenceCacheTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait between probes of a failing tier (the wait starts at one second and doubles).</summary>
    public TimeSpan BreakerMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failures that open a tier's breaker.</summary>
    public int BreakerFailures { get; init; } = 3;
}
