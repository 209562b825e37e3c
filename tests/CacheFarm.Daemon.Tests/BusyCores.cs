using System.Diagnostics;

namespace CacheFarm.Daemon.Tests;

/// <summary>One spinning shell per core, as a build's rustc processes keep them busy; each gives up after 120 s on its own.</summary>
internal sealed class BusyCores : IDisposable
{
    private readonly List<Process> _spinners;

    private BusyCores(List<Process> spinners) => _spinners = spinners;

    public static BusyCores Start() => new(Enumerable.Range(0, Environment.ProcessorCount)
        .Select(_ => Process.Start(new ProcessStartInfo("timeout", ["120", "/bin/sh", "-c", "while :; do :; done"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start a spinner"))
        .ToList());

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
