namespace CacheFarm.Client.Tracing;

/// <summary>Whether a traced run may be stored at all: its trace is complete, it stayed off the network, wrote only where its outputs go, and its inputs held still while it ran.</summary>
public static class TracedRunChecks
{
    /// <summary>Why the run must not be stored, or null when it may.</summary>
    public static string? WhyNotStorable(TraceLog log, TracedInputs inputs, Func<string, bool> mayWrite, long runStartNs)
    {
        if (log.UsedNetwork)
        {
            return "network access";
        }
        if (log.Escapes.Count > 0)
        {
            return "untraceable: " + log.Escapes[0];
        }
        if (log.Written.FirstOrDefault(p => !mayWrite(p)) is { } outside)
        {
            return "writes outside its outputs: " + outside;
        }
        return inputs.ChangedSince(log, runStartNs) is { } changed ? "an input changed while it ran: " + changed : null;
    }
}
