namespace CacheFarm.Daemon.Hosting;

/// <summary>An exclusive lock on the data directory, so two daemons never open one FASTER log.</summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lockFile;

    // Where the kernel says the locked file is, read at acquisition: symbolic links in the configured path
    // are resolved there. Null when there is no /proc to ask.
    private readonly string? _target;

    private DataDirectoryLock(FileStream lockFile)
    {
        _lockFile = lockFile;
        _target = ReadTarget();
    }

    public static DataDirectoryLock Acquire(string directory)
    {
        // Private to the user: the cache holds build outputs that other users must not read or plant.
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory, "cachefarmd.lock");
        try
        {
            // FileShare.None is an flock(2) on Linux: released by the kernel even after kill -9.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }
            stream.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException)
        {
            throw new Configuration.SettingsException($"data directory {directory} is in use by another cachefarmd");
        }
    }

    /// <summary>
    /// False once the locked file is no longer at its path: the data directory was removed, moved or replaced
    /// while the daemon ran (an <c>rm -rf</c> of the cache). The kernel names an unlinked file "… (deleted)".
    /// </summary>
    public bool IsInPlace => _target is null || ReadTarget() == _target;

    private string? ReadTarget()
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{_lockFile.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _lockFile.Dispose();
}
