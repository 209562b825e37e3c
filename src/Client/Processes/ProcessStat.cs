using System.Buffers.Text;
using System.Text;

namespace CacheFarm.Client.Processes;

/// <summary>The fields of /proc/PID/stat the client uses: the command name, the parent and the start time (clock ticks after boot).</summary>
public readonly record struct ProcessStat(string Name, int ParentId, long StartTicks)
{
    // "pid (comm) state ppid …": comm holds at most 16 bytes, the rest is some 50 numbers.
    private const int MaxLength = 1024;
    private const int ParentField = 4;
    private const int StartTimeField = 22;

    public static bool TryRead(int pid, out ProcessStat stat)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = ProcFile.TryRead($"/proc/{pid}/stat", buffer);
        stat = default;
        return length > 0 && TryParse(buffer[..length], out stat);
    }

    /// <summary>Parses one /proc/PID/stat line.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ProcessStat stat)
    {
        stat = default;
        var open = line.IndexOf((byte)'(');
        // comm may hold spaces and parentheses, so the fields are counted from the last ')'.
        var close = line.LastIndexOf((byte)')');
        if (open < 0 || close < open || !TryFields(line[(close + 1)..], out var parent, out var start))
        {
            return false;
        }
        stat = new ProcessStat(Encoding.UTF8.GetString(line[(open + 1)..close]), (int)parent, start);
        return true;
    }

    // Fields after comm start at number 3 (the state), separated by single spaces.
    private static bool TryFields(ReadOnlySpan<byte> rest, out long parent, out long start)
    {
        parent = 0;
        start = 0;
        var fields = rest.TrimStart((byte)' ');
        var index = 3;
        foreach (var range in fields.Split((byte)' '))
        {
            var field = fields[range].TrimEnd((byte)'\n');
            if (index == ParentField && !Utf8Parser.TryParse(field, out parent, out _))
            {
                return false;
            }
            if (index++ == StartTimeField)
            {
                return Utf8Parser.TryParse(field, out start, out _);
            }
        }
        return false;
    }
}
