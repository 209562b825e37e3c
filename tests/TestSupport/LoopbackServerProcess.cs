using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheFarm.TestSupport;

/// <summary>A test server process on a fixed loopback port, started until it prints its ready line, stopped by pid.</summary>
/// <remarks>The port is kept across restarts, so clients configured with it find the server again.</remarks>
public abstract class LoopbackServerProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    protected LoopbackServerProcess(int port) => Port = port;

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string Output => string.Join('\n', _output);

    /// <summary>The executable and arguments to run.</summary>
    protected abstract ProcessStartInfo StartInfo();

    /// <summary>The line that says the server accepts connections.</summary>
    protected abstract string ReadyText { get; }

    /// <summary>Starts the server (again, after a kill) on its port and waits for its ready line.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{GetType().Name} on port {Port} is already running");
        }
        var start = StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            _output.Enqueue(e.Data);
            while (_output.Count > MaxOutputLines && _output.TryDequeue(out string? _))
            {
            }
            if (e.Data.Contains(ReadyText, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout)).ConfigureAwait(false);
        if (first != ready.Task)
        {
            var reason = process.HasExited ? $"exited with {process.ExitCode}" : $"was not ready within {StartTimeout.TotalSeconds} s";
            await KillAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{start.FileName} {reason}:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the server vanishes mid-run, as in a crash.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        process.Dispose();
        _process = null;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Path of a required tool; fails the test loudly when it is not installed.</summary>
    protected static string Require(string path, string howToInstall) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {howToInstall}");
}
