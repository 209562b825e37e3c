namespace CacheFarm.Client.Connection;

/// <summary>Tells whether a daemon still holds a data directory (its flock on <c>cachefarmd.lock</c>).</summary>
/// <remarks>
/// The socket disappears as soon as a daemon stops listening, but the daemon keeps its lock until its
/// final checkpoint is written: only the lock says when a new daemon may open the directory.
/// </remarks>
public static class DaemonLockProbe
{
    public const string LockFileName = "cachefarmd.lock";

    public static bool IsHeld(string dataDirectory) => IsLocked(Path.Combine(dataDirectory, LockFileName));

    /// <summary>True while some process holds the flock on <paramref name="path"/>; false when nobody does, or the file is missing or not ours to open.</summary>
    public static bool IsLocked(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Waits until no daemon holds the directory; false if one still does after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilFreeAsync(string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsHeld(dataDirectory))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }
}
