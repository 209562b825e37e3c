using System.Runtime.InteropServices;

namespace CacheFarm.LoadGen.Measurement;

/// <summary>The unit of the CPU times in /proc/PID/stat (USER_HZ).</summary>
internal static partial class ClockTicks
{
    private const int ScClkTck = 2;

    // USER_HZ has been 100 on every mainstream Linux port; sysconf is asked only to be sure.
    public static long PerSecond { get; } = SysConf(ScClkTck) is > 0 and var ticks ? ticks : 100;

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
