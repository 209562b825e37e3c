namespace CacheFarm.Client.Linker;

/// <summary>
/// The kernel's count of runnable threads (<c>procs_running</c> in /proc/stat). A shadow link is a fair measurement,
/// and cheap for the build, only when the machine is not oversubscribed; then it is skipped.
/// </summary>
public static class RunQueue
{
    /// <summary>True when, besides the caller, more than twice as many threads are runnable as there are cores.</summary>
    public static bool Oversubscribed()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("procs_running ", StringComparison.Ordinal) && int.TryParse(line.AsSpan("procs_running ".Length), out var running))
                {
                    return running - 1 > 2 * Environment.ProcessorCount;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: measure anyway.
        }
        return false;
    }
}
