using CacheFarm.Protos.Wire;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Daemon.Hosting;

/// <summary>The wrappers' autostart lock this daemon may have been handed (<see cref="StartupLockHandover"/>), let go of once it is ready.</summary>
internal static class StartupLock
{
    public static void Release()
    {
        // Inherited at exec and open ever since, so the descriptor is still the lock; 0 to 2 never are.
        if (int.TryParse(Environment.GetEnvironmentVariable(StartupLockHandover.Variable), out var fd) && fd > 2)
        {
            new SafeFileHandle(fd, ownsHandle: true).Dispose();
            Environment.SetEnvironmentVariable(StartupLockHandover.Variable, null);
        }
    }
}
