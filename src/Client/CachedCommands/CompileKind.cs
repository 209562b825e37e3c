namespace CacheFarm.Client.CachedCommands;

/// <summary>What the wrapper does with a compiler call.</summary>
public enum CompileKind
{
    /// <summary>A compilation whose outputs are looked up and stored.</summary>
    Cacheable,

    /// <summary>A compilation passed straight to the compiler; the reason is counted in the stats.</summary>
    NotCacheable,

    /// <summary>Not a compilation (help, a link, preprocessing only, an emit with neither link nor metadata).</summary>
    NotCompilation,
}
