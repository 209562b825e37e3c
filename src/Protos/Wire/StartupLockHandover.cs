namespace CacheFarm.Protos.Wire;

/// <summary>
/// How a wrapper that does not wait for the daemon it starts still keeps other wrappers from starting a second
/// one: the daemon inherits the wrapper's descriptor of the autostart lock, named in <see cref="Variable"/>, and
/// closes it once ready. Wrappers that wait for the lock then find a daemon that answers.
/// </summary>
public static class StartupLockHandover
{
    public const string Variable = "CACHEFARM_STARTUP_LOCK_FD";

    /// <summary>The autostart lock's file in the data directory.</summary>
    public const string LockFileName = "autostart.lock";
}
