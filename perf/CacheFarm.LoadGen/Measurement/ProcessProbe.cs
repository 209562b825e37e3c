using System.Globalization;

namespace CacheFarm.LoadGen.Measurement;

/// <summary>Reads a process's CPU time (utime + stime) and VmRSS / VmHWM from /proc.</summary>
internal static class ProcessProbe
{
    // Fields 14 and 15 of /proc/PID/stat, counted from the state field (3) after the command name.
    private const int UserTimeField = 11;
    private const int SystemTimeField = 12;

    /// <summary>Null when the process is gone or its /proc files cannot be read.</summary>
    public static async Task<ProcessSample?> TryReadAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", cancellationToken);
            var status = await File.ReadAllLinesAsync($"/proc/{pid}/status", cancellationToken);
            // The command name is in parentheses and may itself contain spaces or parentheses.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[UserTimeField], CultureInfo.InvariantCulture)
                + long.Parse(fields[SystemTimeField], CultureInfo.InvariantCulture);
            var cpu = TimeSpan.FromSeconds((double)ticks / ClockTicks.PerSecond);
            return new ProcessSample(cpu, StatusKilobytes(status, "VmRSS:") * 1024, StatusKilobytes(status, "VmHWM:") * 1024);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    private static long StatusKilobytes(string[] status, string field)
    {
        var line = status.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        // "VmRSS:	  123456 kB"
        return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
