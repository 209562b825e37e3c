using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// Which rustc results may be stored: successes and failures a rerun would repeat, namely compile errors
/// that carry an error code (feature probes in build scripts fail on purpose every build) and link errors
/// the linker reported itself. A failure from a signal, a resource or the operating system is never
/// stored: a later run may not repeat it, and replaying it would fail builds that would pass.
/// </summary>
public static class StorableFailure
{
    // What a killed or starved linker, or a full disk, leaves in rustc's stderr (through cc/collect2 or rustc).
    private static readonly string[] TransientMarkers =
    [
        "(os error ",
        "terminated with signal",
        "signal: ",
        "Killed",
        "out of memory",
        "memory exhausted",
        "Cannot allocate memory",
        "No space left on device",
        "Resource temporarily unavailable",
        "Too many open files",
    ];

    /// <summary>Null when <paramref name="result"/> may be stored; otherwise why not, for the log.</summary>
    public static string? WhyNotStored(CompileResult result)
    {
        if (result.ExitCode == 0)
        {
            return null;
        }
        if (result.ExitCode != 1)
        {
            return $"rustc exited with {result.ExitCode} (a crash or a signal)";
        }
        var stderr = System.Text.Encoding.UTF8.GetString(result.Stderr);
        if (TransientMarkers.FirstOrDefault(m => stderr.Contains(m, StringComparison.Ordinal)) is { } marker)
        {
            return $"a failure a rerun may not repeat ('{marker.Trim()}')";
        }
        // Rendered or JSON diagnostics (cargo asks for JSON, with colours inside the rendered text).
        if (stderr.Contains("error[E", StringComparison.Ordinal) || stderr.Contains("\"code\":{\"code\":\"E", StringComparison.Ordinal)
            || stderr.Contains("linking with `", StringComparison.Ordinal))
        {
            return null;
        }
        return "a failure without an error code";
    }
}
