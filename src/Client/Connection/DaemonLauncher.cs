using System.Diagnostics;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Client.Connection;

/// <summary>Starts cachefarmd in the background, detached from the build, and waits until it answers.</summary>
public static class DaemonLauncher
{
    /// <summary>How long a daemon started by a build waits, idle, before it exits (sccache's default, 600 s).</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(600);

    // A daemon started here shares the cores with the build it serves. Idle thread-pool workers must not spin
    // waiting for the next request (on two cores that took a quarter of the daemon's CPU during a cold build),
    // one GC heap is plenty, and the ReadyToRun code it ships with is used as it is: re-JITting hot methods
    // spent more CPU during a cold build (1.4 s of 4.1 s) than the faster code saved. A value the user set wins.
    private static readonly (string Name, string Value)[] SharedCoreRuntime =
    [
        ("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0"),
        ("DOTNET_gcServer", "0"),
        ("DOTNET_TieredCompilation", "0"),
    ];

    /// <summary>Finds the daemon binary: <c>CACHEFARM_DAEMON</c>, next to this executable, or on PATH.</summary>
    public static string? FindDaemonBinary(Func<string, string?> env)
    {
        var configured = env("CACHEFARM_DAEMON");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }
        var beside = Path.Combine(AppContext.BaseDirectory, "cachefarmd");
        if (File.Exists(beside))
        {
            return beside;
        }
        foreach (var dir in (env("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "cachefarmd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Returns true once the daemon at <paramref name="client"/>'s endpoint answers a stats call.</summary>
    public static async Task<bool> IsRunningAsync(CacheClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CallDeadline.Until(DateTime.UtcNow + TimeSpan.FromSeconds(2));
            await client.Admin.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or TimeoutException or HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Starts the daemon for a local endpoint and waits (up to <paramref name="wait"/>) until it is healthy.</summary>
    /// <exception cref="DaemonStartException">The daemon could not be found or did not come up; the message says why.</exception>
    public static async Task StartAsync(CacheClient client, TimeSpan idleTimeout, TimeSpan wait, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var endpoint = client.Endpoint;
        // A daemon that is shutting down (idle timeout, --stop-server) has let go of its socket but
        // not yet of its data directory.
        if (endpoint.SocketPath is not null && !await DaemonLockProbe.WaitUntilFreeAsync(endpoint.DataDirectory, wait, cancellationToken).ConfigureAwait(false))
        {
            throw new DaemonStartException($"a cachefarmd that does not answer holds {endpoint.DataDirectory}");
        }
        using var process = Spawn(endpoint, idleTimeout, env, startupLock: null);
        var log = LogPath(endpoint);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < wait)
        {
            // Nothing can answer before the socket exists; checking for it first keeps the wait to a few stat calls.
            if (File.Exists(endpoint.SocketPath) && await IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            if (process.HasExited && !await IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
            {
                throw new DaemonStartException($"cachefarmd exited with code {process.ExitCode}; see {log}");
            }
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        throw new DaemonStartException($"cachefarmd did not become ready within {wait.TotalSeconds:0} s; see {log}");
    }

    /// <summary>
    /// Starts the daemon and returns at once, handing it <paramref name="startupLock"/> (the autostart lock, held by
    /// the caller): the daemon inherits the descriptor and closes it once ready, so callers that wait for the
    /// lock wait for a ready daemon, and none starts a second one. False, and nothing started, while a daemon
    /// that is shutting down still holds the data directory.
    /// </summary>
    /// <exception cref="DaemonStartException">The daemon binary could not be found or started.</exception>
    /// <exception cref="IOException">The lock could not be made inheritable.</exception>
    internal static bool TryStartInBackground(DaemonEndpoint endpoint, TimeSpan idleTimeout, Func<string, string?> env, TransferableLock startupLock)
    {
        if (DaemonLockProbe.IsHeld(endpoint.DataDirectory))
        {
            return false;
        }
        startupLock.Inheritable(true);
        try
        {
            using var process = Spawn(endpoint, idleTimeout, env, startupLock.Descriptor);
        }
        finally
        {
            startupLock.Inheritable(false);
        }
        return true;
    }

    private static Process Spawn(DaemonEndpoint endpoint, TimeSpan idleTimeout, Func<string, string?> env, int? startupLock)
    {
        if (endpoint.SocketPath is null)
        {
            throw new DaemonStartException($"the daemon at {endpoint} is remote; start it there");
        }
        var daemon = FindDaemonBinary(env)
            ?? throw new DaemonStartException("cachefarmd not found: set CACHEFARM_DAEMON or put it next to cachefarm or on PATH");
        Directory.CreateDirectory(endpoint.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // setsid and the redirections detach the daemon from the build: cargo waits for every holder of
        // its pipes to close them, and a Ctrl-C in the terminal must not take the shared daemon down.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            // Not the build's directory: a long-lived daemon must not keep a checkout busy.
            WorkingDirectory = endpoint.DataDirectory,
            ArgumentList =
            {
                "-c",
                "exec setsid \"$0\" \"$@\" </dev/null >>\"$CACHEFARM_DAEMON_LOG\" 2>&1",
                daemon,
                "--data-dir", endpoint.DataDirectory,
                "--socket", Path.GetFullPath(endpoint.SocketPath),
                "--idle-timeout", ((long)idleTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            Environment = { ["CACHEFARM_DAEMON_LOG"] = LogPath(endpoint) },
        };
        // Set only for the descriptor handed over: one inherited from the caller's environment names nothing of the daemon's.
        start.Environment.Remove(StartupLockHandover.Variable);
        if (startupLock is { } fd)
        {
            start.Environment[StartupLockHandover.Variable] = fd.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (string.IsNullOrEmpty(env("CACHEFARM_LISTEN")))
        {
            // It serves this user through the socket. A TCP port would be open to every local user and would
            // collide between users and between data directories, failing the second daemon to start.
            start.ArgumentList.Add("--listen");
            start.ArgumentList.Add("none");
        }
        foreach (var (name, value) in SharedCoreRuntime)
        {
            if (string.IsNullOrEmpty(env(name)))
            {
                start.Environment[name] = value;
            }
        }
        return Process.Start(start) ?? throw new DaemonStartException($"could not start {daemon}");
    }

    private static string LogPath(DaemonEndpoint endpoint) => Path.Combine(endpoint.DataDirectory, "cachefarmd.log");
}
