namespace CacheFarm.Client.Tracing;

/// <summary>
/// Runs a process tree under the tracer: the preload library published beside cachefarm, and a fresh log the
/// tree appends to. Disposing removes the log.
/// </summary>
public sealed class ProcessTracer : IDisposable
{
    public const string LibraryName = "libcachefarm-trace.so";

    /// <summary>The variable that names the log the traced tree appends to.</summary>
    public const string LogVariable = "CACHEFARM_TRACE_FILE";

    private ProcessTracer(string library, string logPath)
    {
        Library = library;
        LogPath = logPath;
    }

    public string Library { get; }

    public string LogPath { get; }

    /// <summary>The tracer, or null when its library is not installed beside this program.</summary>
    public static ProcessTracer? TryCreate(string scratchDirectory)
    {
        var library = Path.Combine(AppContext.BaseDirectory, LibraryName);
        if (!File.Exists(library))
        {
            return null;
        }
        Directory.CreateDirectory(scratchDirectory);
        var log = Path.Combine(scratchDirectory, $"trace-{Environment.ProcessId}-{Random.Shared.Next():x}.log");
        File.WriteAllBytes(log, []);
        return new ProcessTracer(library, log);
    }

    /// <summary>The environment the traced tree starts with: the given one plus the preload and the log.</summary>
    public Dictionary<string, string> TracedEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var result = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        result["LD_PRELOAD"] = environment.TryGetValue("LD_PRELOAD", out var preload) && preload.Length > 0 ? Library + ":" + preload : Library;
        result[LogVariable] = LogPath;
        result["CACHEFARM_TRACE_LIB"] = Library;
        return result;
    }

    public TraceLog Read() => TraceLog.Parse(File.ReadLines(LogPath));

    public void Dispose()
    {
        try
        {
            File.Delete(LogPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover log in the scratch directory is harmless.
        }
    }
}
