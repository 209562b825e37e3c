namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>Bounds of working-set recording and prefetching.</summary>
public sealed record WorkingSetOptions
{
    /// <summary>Entries prefetched at once; each brings its outputs in parallel too, so this stays small.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Output bytes one prefetch may bring into the local tier, so a prefetch never evicts the build's own data.</summary>
    public long ByteBudget { get; init; } = 1L << 30;

    /// <summary>A working set quiet this long has its record written: the build is over, or pausing.</summary>
    public TimeSpan RecordAfterQuiet { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A working set quiet this long has ended its build: its prefetch stops, and a later lookup starts a new build.</summary>
    /// <remarks>Longer than most single compiles, during which a build looks nothing up; the daemon's stop ends prefetches too.</remarks>
    public TimeSpan BuildEndsAfterQuiet { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Keys one record holds (32 bytes each); a larger build records its first ones.</summary>
    public int MaxKeys { get; init; } = 16_384;

    /// <summary>Prefetched entries held in memory, across the daemon, until their lookup takes them; prefetches pause their fetching at this many.</summary>
    public int MaxUntakenEntries { get; init; } = 16_384;

    /// <summary>Working sets tracked at once; lookups naming more are served but not recorded.</summary>
    public int MaxSets { get; init; } = 1_024;
}
