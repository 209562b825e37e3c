namespace CacheFarm.Daemon.Storage.Local;

/// <summary>Settings of the embedded FASTER tier.</summary>
public sealed record LocalTierOptions
{
    public const long DefaultCapacity = 5L << 30;

    /// <summary>Smallest capacity the log can keep under its cap.</summary>
    /// <remarks>
    /// Eviction keeps the newest 80% of capacity and drops whole 32 MiB pages, so the other 20% must exceed a page:
    /// below about 160 MiB the begin address never moves and every write waits for room that never comes.
    /// </remarks>
    public const long MinimumCapacity = 256L << 20;

    public required string Directory { get; init; }

    public long Capacity { get; init; } = DefaultCapacity;

    /// <summary>In-memory part of the log; null sizes it from the capacity.</summary>
    public long? MemoryBytes { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxConcurrentWrites { get; init; } = 4;

    /// <summary>
    /// True once the directory was removed under the daemon: no checkpoint may be written then, because the
    /// path may already hold a fresh daemon's store, which would recover from this log's checkpoint.
    /// </summary>
    public Func<bool> DirectoryLost { get; init; } = static () => false;

    /// <summary>Largest entry (outputs list plus stdout and stderr) accepted.</summary>
    public int MaxEntryBytes { get; init; } = 8 << 20;
}
