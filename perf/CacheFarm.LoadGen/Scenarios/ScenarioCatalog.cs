using CacheFarm.LoadGen.Cli;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>The scenarios by name, in the order <c>--scenario all</c> runs them.</summary>
internal static class ScenarioCatalog
{
    public const string EntryHit = "entry-hit";
    public const string BlobRead1M = "blob-read-1m";
    public const string BlobWrite1M = "blob-write-1m";
    public const string Mix9010 = "mix-90-10";
    public const string FindMissing = "find-missing";
    public const string BlobLarge = "blob-large";

    public static IReadOnlyList<string> Names { get; } = [BlobRead1M, BlobWrite1M, Mix9010, EntryHit, FindMissing, BlobLarge];

    public static IScenario Create(string name, WorkloadSettings settings) => name switch
    {
        EntryHit => new EntryHitScenario(settings),
        BlobRead1M => new BlobReadScenario(BlobCorpus.Create(settings)),
        BlobWrite1M => new BlobWriteScenario(settings),
        Mix9010 => new MixedReadWriteScenario(BlobCorpus.Create(settings), settings, readPercent: 90),
        FindMissing => new FindMissingScenario(settings),
        BlobLarge => new LargeBlobScenario(settings),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };
}
