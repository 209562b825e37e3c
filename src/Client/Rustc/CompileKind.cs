
namespace CacheFarm.Client.Rustc;

/// <summary>What the wrapper does with a rustc call.</summary>
public enum CompileKind
{
    /// <summary>A compilation whose outputs are looked up and stored.</summary>
    Cacheable,

    /// <summary>A compilation passed straight to rustc; the reason is counted in the stats.</summary>
    NotCacheable,

    /// <summary>Not a compilation (help, --explain, pretty-printing, an emit with neither link nor metadata).</summary>
    NotCompilation,
}
