namespace CacheFarm.Client.Slo;

/// <summary>One of the standard builds <c>cachefarm slo</c> measures, and how to run it.</summary>
public sealed record SloScenario(string Name, string Title, bool Release, bool Clean, bool Cached, bool TouchesFile)
{
    public static readonly SloScenario Uncached = new("uncached", "clean build, cache bypassed", Release: false, Clean: true, Cached: false, TouchesFile: false);
    public static readonly SloScenario CachedClean = new("cached", "clean build from the cache", Release: false, Clean: true, Cached: true, TouchesFile: false);
    public static readonly SloScenario Incremental = new("incremental", "rebuild after touching a file", Release: false, Clean: false, Cached: true, TouchesFile: true);
    public static readonly SloScenario ReleaseBuild = new("release", "clean release build from the cache", Release: true, Clean: true, Cached: true, TouchesFile: false);

    /// <summary>All scenarios, in the order they run: the uncached build first, as the others' ratios need it.</summary>
    public static readonly IReadOnlyList<SloScenario> All = [Uncached, CachedClean, Incremental, ReleaseBuild];

    public static SloScenario? Named(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>cargo's name for the profile: its output directory is target/debug or target/release.</summary>
    public string Profile => Release ? "release" : "dev";
}
