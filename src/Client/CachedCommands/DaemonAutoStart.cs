using System.Diagnostics;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Starts the local cachefarmd for a build that finds it not running. A lock file in the data directory makes
/// the many rustc processes of a parallel build wait for one starter instead of racing; a failed start is
/// remembered for a short while so a broken install does not slow every compile.
/// </summary>
public static class DaemonAutoStart
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);

    /// <exception cref="DaemonStartException">The daemon could not be started; the message says why.</exception>
    public static async Task EnsureRunningAsync(CacheClient client, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var dataDirectory = client.Endpoint.DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var failedMarker = Path.Combine(dataDirectory, "autostart.failed");
        if (File.Exists(failedMarker) && DateTime.UtcNow - File.GetLastWriteTimeUtc(failedMarker) < FailureMemory)
        {
            throw new DaemonStartException("cachefarmd failed to start moments ago; not retrying yet (" + File.ReadAllText(failedMarker).Trim() + ")");
        }
        using var held = await AcquireLockAsync(Path.Combine(dataDirectory, "autostart.lock"), cancellationToken).ConfigureAwait(false);
        if (await DaemonLauncher.IsRunningAsync(client, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            var idle = long.TryParse(env("CACHEFARM_IDLE_TIMEOUT"), out var seconds) ? TimeSpan.FromSeconds(seconds) : DaemonLauncher.DefaultIdleTimeout;
            await DaemonLauncher.StartAsync(client, idle, StartWait, env, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonStartException e)
        {
            File.WriteAllText(failedMarker, e.Message + "\n");
            throw;
        }
    }

    // flock through FileShare.None: released by the kernel even if this process dies holding it.
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
        }
    }
}
