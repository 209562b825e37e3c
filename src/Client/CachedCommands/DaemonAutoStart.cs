using System.Diagnostics;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Starts the local cachefarmd for a build that finds it not running. A lock file in the data directory makes
/// the many rustc processes of a parallel build wait for one starter instead of racing; a failed start is
/// remembered for a short while so a broken install does not slow every compile. A call with nothing to ask
/// of the daemon need not wait: it starts one and hands it the lock, which the daemon lets go of once ready.
/// </summary>
public static class DaemonAutoStart
{
    /// <summary>What a caller that does not wait found.</summary>
    public enum Found
    {
        /// <summary>A daemon answers.</summary>
        Running,

        /// <summary>A daemon is starting, by this call or another: it will read what is left in the spool.</summary>
        Starting,

        /// <summary>None could be started without waiting (one is shutting down, or a start failed moments ago).</summary>
        Neither,
    }

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);

    /// <exception cref="DaemonStartException">The daemon could not be started; the message says why.</exception>
    public static async Task EnsureRunningAsync(CacheClient client, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var dataDirectory = client.Endpoint.DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var failedMarker = Path.Combine(dataDirectory, "autostart.failed");
        if (RecentlyFailed(failedMarker))
        {
            throw new DaemonStartException("cachefarmd failed to start moments ago; not retrying yet (" + File.ReadAllText(failedMarker).Trim() + ")");
        }
        FileStream held;
        try
        {
            held = await AcquireLockAsync(LockPath(dataDirectory), cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonStartException e)
        {
            // A daemon handed the lock that never gets ready would otherwise cost every compile the whole wait.
            File.WriteAllText(failedMarker, e.Message + "\n");
            throw;
        }
        using var release = held;
        if (await DaemonLauncher.IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await DaemonLauncher.StartAsync(client, IdleTimeout(env), StartWait, env, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonStartException e)
        {
            File.WriteAllText(failedMarker, e.Message + "\n");
            throw;
        }
    }

    /// <summary>True while a start is under way: another caller, or a daemon not ready yet, holds the lock.</summary>
    public static bool IsStarting(string dataDirectory) => DaemonLockProbe.IsLocked(LockPath(dataDirectory));

    /// <summary>Makes sure a daemon runs or is starting, without waiting for it to be ready.</summary>
    /// <exception cref="DaemonStartException">The daemon binary could not be found or started.</exception>
    /// <exception cref="IOException">The autostart lock could not be taken or handed over.</exception>
    public static async Task<Found> StartWithoutWaitingAsync(CacheClient client, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var dataDirectory = client.Endpoint.DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        if (RecentlyFailed(Path.Combine(dataDirectory, "autostart.failed")))
        {
            return Found.Neither;
        }
        using var held = TransferableLock.TryTake(LockPath(dataDirectory));
        if (held is null)
        {
            return Found.Starting;
        }
        if (File.Exists(client.Endpoint.SocketPath) && await DaemonLauncher.IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
        {
            return Found.Running;
        }
        return DaemonLauncher.TryStartInBackground(client.Endpoint, IdleTimeout(env), env, held) ? Found.Starting : Found.Neither;
    }

    private static string LockPath(string dataDirectory) => Path.Combine(dataDirectory, StartupLockHandover.LockFileName);

    private static bool RecentlyFailed(string marker) => File.Exists(marker) && DateTime.UtcNow - File.GetLastWriteTimeUtc(marker) < FailureMemory;

    private static TimeSpan IdleTimeout(Func<string, string?> env) =>
        long.TryParse(env("CACHEFARM_IDLE_TIMEOUT"), out var seconds) ? TimeSpan.FromSeconds(seconds) : DaemonLauncher.DefaultIdleTimeout;

    // flock through FileShare.None: released by the kernel even if this process dies holding it.
    /// <exception cref="DaemonStartException">The lock stayed held for the whole wait.</exception>
    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                await Task.Delay(25, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new DaemonStartException($"{path} stayed locked for {LockWait.TotalSeconds:0} s: a cachefarmd started for this directory is not getting ready ({e.Message})");
            }
        }
    }
}
