using System.Diagnostics;

namespace CacheFarm.Daemon.Tests;

/// <summary>One spinning shell per core, as a build's rustc processes keep them busy; each gives up after 120 s on its own.</summary>
internal sealed class BusyCores : IDisposable
{
    // /proc/stat counts in USER_HZ, 100 per second on Linux.
    private const double JiffiesPerSecond = 100;

    private readonly List<Process> _spinners;

    private BusyCores(List<Process> spinners) => _spinners = spinners;

    /// <summary>Starts the spinners and returns once the machine shows no idle core, so a test never begins while they are still starting.</summary>
    public static BusyCores Start()
    {
        var busy = new BusyCores(Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Process.Start(new ProcessStartInfo("timeout", ["120", "/bin/sh", "-c", "while :; do :; done"]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not start a spinner"))
            .ToList());
        var deadline = Stopwatch.StartNew();
        var idle = IdleJiffies();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var window = Stopwatch.StartNew();
            Thread.Sleep(200);
            var now = IdleJiffies();
            var idleCores = (now - idle) / JiffiesPerSecond / window.Elapsed.TotalSeconds;
            idle = now;
            if (idleCores < 0.25)
            {
                return busy;
            }
        }
        busy.Dispose();
        throw new InvalidOperationException("the spinners did not take every core within 10 s");
    }

    /// <summary>Idle plus iowait time of all cores, from the first line of /proc/stat.</summary>
    private static long IdleJiffies()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[4]) + long.Parse(fields[5]);
    }

    public void Dispose()
    {
        foreach (var spinner in _spinners)
        {
            spinner.Kill(entireProcessTree: true);
            spinner.WaitForExit();
            spinner.Dispose();
        }
    }
}
