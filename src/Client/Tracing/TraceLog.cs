namespace CacheFarm.Client.Tracing;

/// <summary>
/// What a traced process tree did, read from the log the tracer (src/Tracer) appended to: files read, paths
/// looked up or found absent, directories listed, programs run, variables read, paths changed, and anything
/// that escaped the tracer or went to the network.
/// </summary>
public sealed class TraceLog
{
    public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

    public HashSet<string> LookedUp { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Absent { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Listed { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Executed { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Why the trace cannot be trusted (a static program, an untraceable path), in the tracer's words.</summary>
    public List<string> Escapes { get; } = [];

    public bool UsedNetwork { get; private set; }

    public static TraceLog Parse(IEnumerable<string> lines)
    {
        var log = new TraceLog();
        foreach (var line in lines)
        {
            if (line.Length < 2 || line[1] != '\t')
            {
                // A line cut short (a process killed mid-write) means the log is incomplete.
                log.Escapes.Add("a damaged trace line");
                continue;
            }
            var text = line[2..];
            var set = line[0] switch
            {
                'R' => log.Read,
                'S' => log.LookedUp,
                'A' => log.Absent,
                'D' => log.Listed,
                'X' => log.Executed,
                'W' => log.Written,
                'E' => log.Variables,
                _ => null,
            };
            if (set is not null)
            {
                set.Add(line[0] == 'E' ? text : Path.GetFullPath(text));
            }
            else if (line[0] == 'N')
            {
                log.UsedNetwork = true;
            }
            else
            {
                log.Escapes.Add(text);
            }
        }
        return log;
    }
}
