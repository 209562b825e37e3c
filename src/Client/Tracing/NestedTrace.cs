using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// A cached command inside a traced run (a C compile inside a build script's run) must leave in that run's trace
/// what the command would have: the run's entry is keyed by everything its whole process tree read. A hit tells
/// the trace the inputs of the candidate it matched and the outputs it wrote; a miss, traced on its own, passes
/// its log on.
/// </summary>
public static class NestedTrace
{
    /// <summary>The trace of the run around this process, or null outside one.</summary>
    public static string? Around(Func<string, string?> env) => env(ProcessTracer.LogVariable) is { Length: > 0 } log ? log : null;

    /// <summary>Appends to <paramref name="outerLog"/> what a hit stands in for: the candidate's observations and the files it writes; false when the log cannot be written.</summary>
    public static bool TryReportHit(string outerLog, ManifestCandidate candidate, CheckoutRoots roots, IEnumerable<string> written)
    {
        var text = new StringBuilder();
        foreach (var input in candidate.Inputs)
        {
            if (input.Path.Length >= 2 && roots.Resolve(input.Path[1..]) is { } path)
            {
                // Content, listing and existence, as the tracer writes them (R, D and S lines).
                text.Append(input.Path[0]).Append('\t').Append(path).Append('\n');
            }
        }
        foreach (var (name, _) in candidate.EnvDeps)
        {
            text.Append("E\t").Append(name).Append('\n');
        }
        foreach (var path in written)
        {
            text.Append("W\t").Append(path).Append('\n');
        }
        try
        {
            Append(outerLog, Encoding.UTF8.GetBytes(text.ToString()));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Appends a traced command's own log to <paramref name="outerLog"/>; when that fails, the outer log is told its trace is incomplete, so its run is not stored.</summary>
    public static void Forward(string ownLog, string outerLog)
    {
        try
        {
            Append(outerLog, File.ReadAllBytes(ownLog));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An escape line ('!' is no observation) makes the run around untraceable, so it is not stored.
            try
            {
                Append(outerLog, Encoding.UTF8.GetBytes("!\ta nested trace was lost\n"));
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done from here.
            }
        }
    }

    // One append: the tracer in the run's other processes appends to the same file, a line at a time.
    private static void Append(string log, byte[] lines)
    {
        using var file = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        file.Write(lines);
    }
}
