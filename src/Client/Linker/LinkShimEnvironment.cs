namespace CacheFarm.Client.Linker;

/// <summary>
/// The variables the wrapper sets for rustc so that <c>cachefarm</c>, run by rustc as its linker, acts as the link shim:
/// the real C driver, the file to append timings to, and optionally a shadow link to run (candidate driver arguments, tab-separated).
/// </summary>
public static class LinkShimEnvironment
{
    public const string Driver = "CACHEFARM_LINK_DRIVER";
    public const string Times = "CACHEFARM_LINK_TIMES";
    public const string Trial = "CACHEFARM_LINK_TRIAL";

    public static readonly string[] All = [Driver, Times, Trial];
}
