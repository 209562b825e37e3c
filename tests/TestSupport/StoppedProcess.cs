using System.Globalization;

namespace CacheFarm.TestSupport;

/// <summary>A process held stopped (SIGSTOP) until disposed (SIGCONT): a daemon that still takes connections but answers nothing.</summary>
public sealed class StoppedProcess : IAsyncDisposable
{
    private readonly int _pid;

    private StoppedProcess(int pid) => _pid = pid;

    public static async Task<StoppedProcess> StopAsync(int pid)
    {
        await SignalAsync(pid, "STOP");
        return new StoppedProcess(pid);
    }

    public async ValueTask DisposeAsync() => await SignalAsync(_pid, "CONT");

    private static async Task SignalAsync(int pid, string signal)
    {
        var run = await ProcessRun.RunAsync("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath(), new Dictionary<string, string?>());
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {run.Stderr}");
        }
    }
}
