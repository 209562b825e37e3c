using System.Globalization;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// How many cores went unused between two readings of /proc/stat: what the daemon's background work may take
/// without slowing anything else down. Null without /proc.
/// </summary>
/// <remarks>
/// The daemon's own CPU time is not spare: while a build runs it is serving that build's lookups, and right after
/// start it is compiling its own code, and neither leaves a core free for stores.
/// </remarks>
internal sealed class SpareCpu
{
    private (long Total, long Spare)? _last;

    /// <summary>Spare cores (0 to the number of cores) since the previous call; null on the first call or without /proc.</summary>
    public double? Sample()
    {
        var now = Read();
        var last = _last;
        _last = now;
        if (now is not { } current || last is not { } previous || current.Total <= previous.Total)
        {
            return null;
        }
        // The aggregate line sums all cores, so the share of spare ticks times the core count is in cores.
        return (double)(current.Spare - previous.Spare) / (current.Total - previous.Total) * Environment.ProcessorCount;
    }

    private static (long Total, long Spare)? Read()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal …", in clock ticks.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Take(8).Sum(), fields[3] + fields[4]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }
}
