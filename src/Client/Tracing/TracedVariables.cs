using System.Text;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// How the variables a traced run read enter its manifest. A short list that only steers scheduling or program
/// lookup never counts: the job count and the jobserver (so -j1 hits what -j2 stored), PATH (the programs found
/// through it are keyed by content), the temp directory, the preload and cachefarm's own settings.
/// </summary>
public static class TracedVariables
{
    public static readonly IReadOnlySet<string> Unkeyed = new HashSet<string>(StringComparer.Ordinal)
    {
        "NUM_JOBS", "CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CARGO_BUILD_JOBS", "JOBS",
        "PATH", "TMPDIR", "TMP", "TEMP", "LD_PRELOAD",
    };

    public static bool IsUnkeyed(string name) => Unkeyed.Contains(name) || name.StartsWith("CACHEFARM_", StringComparison.Ordinal);

    /// <summary>A traced read of a variable as it enters a manifest: the value the run started with (null when unset), paths normalised.</summary>
    public static string? Value(IReadOnlyDictionary<string, string> environment, string name, CheckoutRoots roots) =>
        environment.TryGetValue(name, out var value) ? Normalize(value, roots) : null;

    /// <summary>A value with checkout paths made relative to the roots.</summary>
    public static string Normalize(string value, CheckoutRoots roots) =>
        Encoding.UTF8.GetString(roots.NormalizeText(Encoding.UTF8.GetBytes(value)));
}
