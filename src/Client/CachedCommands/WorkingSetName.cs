namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Names the working set a cached command belongs to (workspace, target, profile, toolchain), read from where cargo
/// puts its outputs: <c>&lt;workspace&gt;/target[/&lt;triple&gt;]/&lt;profile&gt;/deps</c>, or <c>…/build/&lt;unit&gt;/out</c>
/// for a build script. CACHEFARM_WORKING_SET overrides it; set empty, it turns recording and prefetching off.
/// </summary>
/// <remarks>
/// The name only steers the daemon's prefetch of what the last build of it looked up. No key depends on it, so a
/// poor name costs a wasted prefetch, never a wrong hit.
/// </remarks>
public static class WorkingSetName
{
    public const string Variable = "CACHEFARM_WORKING_SET";

    // Directories cargo makes inside a profile directory.
    private static readonly string[] ProfileChildren = ["deps", "build", "examples", "incremental"];

    /// <summary>The working set of a command writing into <paramref name="outputDirectory"/> (absolute) with <paramref name="toolchain"/>; empty when the layout is not cargo's.</summary>
    public static string For(string? outputDirectory, string toolchain, Func<string, string?> env)
    {
        if (env(Variable) is { } chosen)
        {
            return chosen;
        }
        if (outputDirectory is null)
        {
            return "";
        }
        var parts = outputDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var child = Array.FindLastIndex(parts, p => ProfileChildren.Contains(p));
        if (child < 2)
        {
            return "";
        }
        var profile = parts[child - 1];
        var target = child - 2;
        var triple = "host";
        // Target triples have at least two dashes (x86_64-unknown-linux-gnu); profile and target directory names rarely do.
        if (target >= 1 && parts[target].Count(c => c == '-') >= 2)
        {
            triple = parts[target];
            target--;
        }
        // The checkout's directory name (the repository's, in CI), wherever the checkout lives; a target directory
        // placed elsewhere names itself.
        var workspace = parts[target] == "target" && target >= 1 ? parts[target - 1] : parts[target];
        return $"{workspace} {triple} {profile} {toolchain}";
    }
}
