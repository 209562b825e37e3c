using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CacheFarm.Client.Processes;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>
/// Names the build a rustc call belongs to: one cargo invocation, identified by the nearest cargo process above the
/// wrapper (cargo runs it directly, or through a build script that probes rustc) — its pid and start time, with the
/// boot id so ids never repeat — or CACHEFARM_BUILD_ID. Ids start with the host name so a shared daemon's reports
/// can be told apart per machine.
/// </summary>
public static partial class BuildIdentity
{
    public const string Variable = "CACHEFARM_BUILD_ID";

    private const int MaxCommandChars = 300;

    // Enough bytes of a command line for MaxCommandChars characters of UTF-8.
    private const int CommandBytes = MaxCommandChars * 4;

    // A C compile in a CMake build inside a build script sits under make, make, cmake, the script and its launcher
    // before cargo; a search that stops short gives each make its own build in the reports.
    private const int MaxAncestors = 16;

    public static string HostPrefix => Environment.MachineName + "/";

    /// <summary>The build id and the cargo command line; an empty id when /proc cannot tell (the call then stays out of build reports).</summary>
    public static (string Id, string Command) Current(Func<string, string?> env)
    {
        var found = CargoAncestor(out var build);
        var command = found ? CommandLine(build.Pid) : "";
        if (env(Variable) is { Length: > 0 } explicitId)
        {
            return (HostPrefix + explicitId, command);
        }
        if (!found)
        {
            return ("", command);
        }
        return (string.Create(CultureInfo.InvariantCulture, $"{HostPrefix}{BootPrefix()}-{build.Pid}-{build.Stat.StartTicks}"), command);
    }

    /// <summary>The nearest ancestor whose name is cargo, else the parent; false when /proc cannot tell.</summary>
    private static bool CargoAncestor(out (int Pid, ProcessStat Stat) build)
    {
        var parent = GetParentProcessId();
        if (!ProcessStat.TryRead(parent, out var parentStat))
        {
            build = default;
            return false;
        }
        build = (parent, parentStat);
        var (pid, stat) = build;
        for (var level = 0; level < MaxAncestors; level++)
        {
            if (stat.Name == "cargo")
            {
                build = (pid, stat);
                break;
            }
            pid = stat.ParentId;
            if (pid <= 1 || !ProcessStat.TryRead(pid, out stat))
            {
                break;
            }
        }
        return true;
    }

    private static string BootPrefix()
    {
        Span<byte> id = stackalloc byte[64];
        var length = ProcFile.TryRead("/proc/sys/kernel/random/boot_id", id);
        return length >= 8 ? Encoding.ASCII.GetString(id[..8]) : "boot";
    }

    private static string CommandLine(int pid)
    {
        Span<byte> raw = stackalloc byte[CommandBytes];
        var length = ProcFile.TryRead($"/proc/{pid}/cmdline", raw);
        if (length <= 0)
        {
            return "";
        }
        var words = Encoding.UTF8.GetString(raw[..length]).TrimEnd('\0').Split('\0');
        words[0] = Path.GetFileName(words[0]);
        var command = string.Join(' ', words);
        return command.Length <= MaxCommandChars ? command : command[..MaxCommandChars] + "…";
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
