namespace CacheFarm.TestSupport;

/// <summary>Reads a process's resident and peak memory from /proc.</summary>
public static class ProcessMemory
{
    public static long PeakRssBytes(int pid) => ReadKb(pid, "VmHWM:") * 1024;

    public static long RssBytes(int pid) => ReadKb(pid, "VmRSS:") * 1024;

    private static long ReadKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"{field} not found for pid {pid}");
    }
}
