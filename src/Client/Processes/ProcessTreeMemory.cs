using System.Buffers.Text;

namespace CacheFarm.Client.Processes;

/// <summary>
/// The peak memory of a process tree while it runs: every <see cref="Interval"/> the proportional set sizes of the
/// root and all its descendants are summed. Proportional sizes split shared pages (rustc's driver library, mapped by
/// every rustc at once) among the processes that map them, so concurrent processes add up to what the host holds.
/// </summary>
public sealed class ProcessTreeMemory : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    // smaps_rollup is a dozen lines; stat, one.
    private const int RollupBytes = 2048;
    private const int StatBytes = 1024;

    private readonly int _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakBytes;
    private int _samples;

    private ProcessTreeMemory(int root)
    {
        _root = root;
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>The largest sum seen, or null when no sample could be read (no /proc).</summary>
    public long? PeakBytes => Volatile.Read(ref _samples) > 0 ? Volatile.Read(ref _peakBytes) : null;

    public static ProcessTreeMemory Start(int rootPid) => new(rootPid);

    /// <summary>Stops sampling and takes one last sample.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The sum of the proportional set sizes of <paramref name="root"/> and its descendants, or null when /proc cannot tell.</summary>
    public static long? TreeBytes(int root)
    {
        var tree = Descendants(root);
        if (tree is null)
        {
            return null;
        }
        long total = 0;
        foreach (var pid in tree)
        {
            total += ProportionalBytes(pid);
        }
        return total;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Record();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped: the tree has ended or is about to.
        }
    }

    private void Record()
    {
        if (TreeBytes(_root) is { } bytes)
        {
            Interlocked.Increment(ref _samples);
            if (bytes > Volatile.Read(ref _peakBytes))
            {
                Volatile.Write(ref _peakBytes, bytes);
            }
        }
    }

    // /proc/PID/task/TID/children needs a kernel option not every host has, so the parents are read from each stat.
    private static List<int>? Descendants(int root)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var children = new Dictionary<int, List<int>>();
        Span<byte> buffer = stackalloc byte[StatBytes];
        foreach (var entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry.AsSpan()), out var pid))
            {
                continue;
            }
            var length = ProcFile.TryRead($"/proc/{pid}/stat", buffer);
            if (length > 0 && ProcessStat.TryParse(buffer[..length], out var stat))
            {
                if (!children.TryGetValue(stat.ParentId, out var list))
                {
                    children[stat.ParentId] = list = [];
                }
                list.Add(pid);
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var list))
            {
                tree.AddRange(list);
            }
        }
        return tree;
    }

    // The "Pss:" line of smaps_rollup, in kB; 0 for a process that has just ended.
    private static long ProportionalBytes(int pid)
    {
        Span<byte> buffer = stackalloc byte[RollupBytes];
        var length = ProcFile.TryRead($"/proc/{pid}/smaps_rollup", buffer);
        if (length <= 0)
        {
            return 0;
        }
        var text = buffer[..length];
        var at = text.IndexOf("\nPss:"u8);
        if (at < 0)
        {
            return 0;
        }
        var value = text[(at + 5)..].TrimStart((byte)' ');
        return Utf8Parser.TryParse(value, out long kilobytes, out _) ? kilobytes * 1024 : 0;
    }
}
