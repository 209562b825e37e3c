using CacheFarm.Client.Reports.Recording;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Reports;

/// <summary>
/// The figures of one build, from its compile records: outcomes and hit rate, time saved (the recorded compile
/// time of the hits), cache transfer, link time by linker, the slowest crates, and what cargo rebuilt and why.
/// </summary>
public sealed class BuildSummary
{
    private BuildSummary(BuildReport build, List<UnitRun> units, int probes)
    {
        Build = build;
        Units = units;
        Probes = probes;
    }

    public BuildReport Build { get; }

    /// <summary>Crate compiles in start order (probes such as <c>rustc -vV</c> excluded).</summary>
    public List<UnitRun> Units { get; }

    public int Probes { get; }

    public int Hits => Count(CompileOutcome.Hit);

    public int Misses => Count(CompileOutcome.Miss);

    public int NotCacheable => Count(CompileOutcome.NotCacheable);

    public int CacheErrors => Count(CompileOutcome.CacheError);

    /// <summary>Hits among the compiles the cache could serve (hits, misses and cache errors); null when there were none.</summary>
    public double? HitRate => Hits + Misses + CacheErrors is var cacheable and > 0 ? (double)Hits / cacheable : null;

    public long SavedUs => Units.Sum(u => u.Record.SavedUs);

    public long WallUs => Units.Count == 0 ? 0 : Units.Max(u => u.EndUs);

    public long LinkUs => Units.Sum(u => u.Record.LinkUs);

    public long CacheReadUs => Units.Sum(u => u.Record.CacheReadUs);

    public long CacheWriteUs => Units.Sum(u => u.Record.CacheWriteUs);

    public long BytesRead => Units.Sum(u => u.Record.BytesRead);

    public long BytesWritten => Units.Sum(u => u.Record.BytesWritten);

    public Dictionary<string, int> NotCacheableReasons =>
        Units.Where(u => u.Record.Outcome == CompileOutcome.NotCacheable).GroupBy(u => u.Record.Reason).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());

    public List<LinkerTotal> LinksByLinker =>
    [
        .. Units.Where(u => u.Record.LinkUs > 0 || (u.Record.Linker.Length > 0 && u.RanRustc))
            .GroupBy(u => u.Record.Linker)
            .Select(g => new LinkerTotal(g.Key, g.Count(), g.Sum(u => u.Record.LinkUs), g.Max(u => u.Record.LinkUs), 0))
            .OrderByDescending(t => t.TotalUs),
    ];

    public List<LinkerTotal> ShadowLinks =>
    [
        .. Units.SelectMany(u => u.Record.LinkTrials)
            .GroupBy(t => t.Linker)
            .Select(g => new LinkerTotal(g.Key, g.Count(), g.Sum(t => t.LinkUs), g.Max(t => t.LinkUs), g.Sum(t => t.BaselineUs)))
            .OrderBy(t => t.Linker, StringComparer.Ordinal),
    ];

    /// <summary>The linker the build used most and the reason recorded for it.</summary>
    public (string Linker, string Reason)? LinkerDecision =>
        Units.Where(u => u.Record.Linker.Length > 0 && u.RanRustc)
            .GroupBy(u => (u.Record.Linker, u.Record.LinkerReason))
            .OrderByDescending(g => g.Count())
            .Select(g => ((string, string)?)g.Key)
            .FirstOrDefault();

    public List<UnitRun> Slowest(int count) => [.. Units.OrderByDescending(u => u.Record.TotalUs).Take(count)];

    /// <summary>Units cargo ran again for a reason other than being new: the story of an incremental build.</summary>
    public List<UnitRun> Rebuilt => [.. Units.Where(u => IsRebuild(u.Record.RebuildCause))];

    /// <summary>"incremental" when cargo rebuilt crates it had built before; otherwise a clean build, from a warm or a cold cache.</summary>
    public string Kind => Rebuilt.Count > 0
        ? "incremental"
        : Hits > Misses + NotCacheable + CacheErrors ? "clean, warm cache" : "clean, cold cache";

    public string? TargetDirectory => TargetDirectoryFinder.Find(Units.Select(u => u.Record.OutDir));

    public static BuildSummary From(BuildReport build)
    {
        // Cargo's probes (rustc -vV, the "___" file-names probe) are not crates of the build.
        var compiles = build.Records.Where(r => r.CrateName.Length > 0 && r.CrateName != "___" && r.Outcome is not (CompileOutcome.NotCompilation or CompileOutcome.Unspecified)).ToList();
        var start = compiles.Count == 0 ? 0 : compiles.Min(r => r.StartUnixUs);
        var units = compiles.Select(r => new UnitRun(r, r.StartUnixUs - start)).OrderBy(u => u.StartUs).ToList();
        return new BuildSummary(build, units, build.Records.Count - compiles.Count);
    }

    private static bool IsRebuild(string cause) =>
        cause.StartsWith(RebuildCause.ChangedPrefix, StringComparison.Ordinal)
        || cause.StartsWith(RebuildCause.DependencyPrefix, StringComparison.Ordinal)
        || cause == RebuildCause.UnchangedInputs;

    private int Count(CompileOutcome outcome) => Units.Count(u => u.Record.Outcome == outcome);
}
