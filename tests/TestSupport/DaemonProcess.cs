using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CacheFarm.Client.Connection;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.TestSupport;

/// <summary>A real cachefarmd process on a free loopback port with its own data directory.</summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GrpcChannel _channel;

    private DaemonProcess(Process process, string dataDirectory, int port, int? metricsPort, bool tls)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Port = port;
        MetricsPort = metricsPort;
        Endpoint = DaemonEndpoint.Parse($"{(tls ? "https" : "http")}://127.0.0.1:{port}");
        _channel = DaemonChannel.Create(Endpoint, TimeSpan.FromSeconds(5));
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>Port of the /metrics, /healthz and /readyz listener, when started with one.</summary>
    public int? MetricsPort { get; }

    public DaemonEndpoint Endpoint { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>True once the daemon has printed its ready line.</summary>
    public bool SawReadyLine => _ready.Task.IsCompleted;

    /// <summary>Raw invoker for calls the typed client would refuse to make (bad digests, odd streams).</summary>
    public CallInvoker Invoker => _channel.CreateCallInvoker();

    public string Output => string.Join('\n', _output);

    /// <summary>Waits until the daemon has printed <paramref name="text"/>; its output reaches the test a little after the daemon acts.</summary>
    public async Task<bool> PrintedAsync(string text, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Starts cachefarmd and waits for its ready line; the data directory is kept across restarts.</summary>
    public static Task<DaemonProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartAsync(dataDirectory, metricsPort: null, extraArgs);

    /// <summary>Starts cachefarmd with a metrics listener on a free port as well.</summary>
    public static Task<DaemonProcess> StartWithMetricsAsync(string dataDirectory, params string[] extraArgs) =>
        StartAsync(dataDirectory, FreePort.Next(), extraArgs);

    /// <summary>
    /// Starts cachefarmd in a mount namespace of its own where <paramref name="hiddenDirectory"/> is an empty
    /// tmpfs: a daemon that shares the client's socket but not its files, as from another container.
    /// </summary>
    public static async Task<DaemonProcess> StartWithoutSeeingAsync(string hiddenDirectory, string dataDirectory, params string[] extraArgs)
    {
        var daemon = Spawn(dataDirectory, null, extraArgs, hiddenDirectory);
        await daemon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return daemon;
    }

    /// <summary>Starts the process without waiting for it to be ready (for tests that watch it come up).</summary>
    public static DaemonProcess Launch(string dataDirectory, int metricsPort) => Spawn(dataDirectory, metricsPort, []);

    private static async Task<DaemonProcess> StartAsync(string dataDirectory, int? metricsPort, string[] extraArgs)
    {
        var daemon = Spawn(dataDirectory, metricsPort, extraArgs);
        await daemon.WaitUntilReadyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return daemon;
    }

    private static DaemonProcess Spawn(string dataDirectory, int? metricsPort, string[] extraArgs, string? hiddenDirectory = null)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(hiddenDirectory is null ? RepoPaths.Binary("cachefarmd") : "/usr/bin/unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (hiddenDirectory is not null)
        {
            // unshare and sh both exec, so the pid the test holds is cachefarmd's.
            foreach (var arg in new[] { "--mount", "/bin/sh", "-c", "mount -t tmpfs none \"$0\" && exec \"$@\"", hiddenDirectory, RepoPaths.Binary("cachefarmd") })
            {
                start.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in new[] { "--data-dir", dataDirectory, "--listen", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        if (!extraArgs.Contains("--socket"))
        {
            start.ArgumentList.Add("--no-socket");
        }
        if (metricsPort is { } metrics)
        {
            start.ArgumentList.Add("--metrics-listen");
            start.ArgumentList.Add($"127.0.0.1:{metrics}");
        }
        foreach (var arg in extraArgs)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cachefarmd did not start");
        var daemon = new DaemonProcess(process, dataDirectory, port, metricsPort, extraArgs.Contains("--tls-cert"));
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(timeout)).ConfigureAwait(false);
        if (first != _ready.Task)
        {
            var reason = _process.HasExited ? $"exited with {_process.ExitCode}" : $"was not ready within {timeout.TotalSeconds:0} s";
            await DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cachefarmd {reason}:\n{Output}");
        }
    }

    public CacheClient Client(string @namespace = "", ClientCredentials? credentials = null) =>
        new(Endpoint, @namespace, TimeSpan.FromSeconds(5), credentials);

    /// <summary>Waits for the daemon to exit on its own.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL: no checkpoint, no cleanup — what a crash or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM and wait: the graceful path, which checkpoints.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        if (line.StartsWith("cachefarmd ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
