using CacheFarm.Protos.Wire;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Daemon.Hosting;

/// <summary>The wrappers' autostart lock this daemon may have been handed (<see cref="StartupLockHandover"/>), let go of once it is ready.</summary>
internal static class StartupLock
{
    public static void Release()
    {
        // Only a descriptor that is the lock file: a stray value in the environment must not close a file of the store.
        if (int.TryParse(Environment.GetEnvironmentVariable(StartupLockHandover.Variable), out var fd) && fd > 2
            && new FileInfo($"/proc/self/fd/{fd}").LinkTarget is { } target && Path.GetFileName(target) == StartupLockHandover.LockFileName)
        {
            new SafeFileHandle(fd, ownsHandle: true).Dispose();
        }
        Environment.SetEnvironmentVariable(StartupLockHandover.Variable, null);
    }
}
