namespace CacheFarm.LoadGen.Cli;

/// <summary>Sizes and counts that shape the scenarios' data (as opposed to how long or how hard they run).</summary>
internal sealed record WorkloadSettings
{
    public const int MiB = 1024 * 1024;

    /// <summary>Size of the blobs of the *-1m and mix scenarios.</summary>
    public int BlobBytes { get; init; } = MiB;

    /// <summary>How many 1 MiB blobs are preloaded for reads (they are regenerated from seeds, not kept in memory).</summary>
    public int CorpusBlobs { get; init; } = 64;

    /// <summary>Bytes per WriteBlob message; the reference measured 64 KiB–1 MiB as equivalent.</summary>
    public int WriteChunkBytes { get; init; } = 256 * 1024;

    public int FindMissingBatch { get; init; } = 100;

    public int Entries { get; init; } = 256;

    /// <summary>Approximate serialized size of each preloaded entry.</summary>
    public int EntryBytes { get; init; } = 4096;

    public int LargeBlobMiB { get; init; } = 100;

    /// <summary>Write-then-read iterations per virtual user in blob-large's measured window.</summary>
    public int LargeIterations { get; init; } = 2;

    /// <summary>Upper bound on blob-large's virtual users, so a run holds only a few 100 MiB streams at once.</summary>
    public int LargeConcurrency { get; init; } = 2;

    /// <summary>Check the SHA-256 of every blob read (costs ~0.6 ms of client CPU per MiB).</summary>
    public bool VerifyReads { get; init; }

    public ulong Seed { get; init; } = 0x5EED_CAC4E;
}
