using System.Globalization;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>
/// Names the build a rustc call belongs to: one cargo invocation, identified by the nearest cargo process above the
/// wrapper (cargo runs it directly, or through a build script that probes rustc) — its pid and start time, with the
/// boot id so ids never repeat — or CACHEFARM_BUILD_ID. Ids start with the host name so a shared daemon's reports
/// can be told apart per machine.
/// </summary>
public static class BuildIdentity
{
    public const string Variable = "CACHEFARM_BUILD_ID";

    private const int MaxCommandChars = 300;

    // cargo → build script → rustc is the deepest nesting cargo itself makes; a little slack for wrappers around cargo.
    private const int MaxAncestors = 6;

    public static string HostPrefix => Environment.MachineName + "/";

    /// <summary>The build id and the cargo command line; an empty id when /proc cannot tell (the call then stays out of build reports).</summary>
    public static (string Id, string Command) Current(Func<string, string?> env)
    {
        var parent = CargoAncestor();
        var command = parent > 0 ? CommandLine(parent) : "";
        if (env(Variable) is { Length: > 0 } explicitId)
        {
            return (HostPrefix + explicitId, command);
        }
        if (parent <= 0 || StatField(parent, 22) is not { } startTicks)
        {
            return ("", command);
        }
        var boot = TryRead("/proc/sys/kernel/random/boot_id")?.Trim().Replace("-", "", StringComparison.Ordinal) is { Length: >= 8 } b ? b[..8] : "boot";
        return (string.Create(CultureInfo.InvariantCulture, $"{HostPrefix}{boot}-{parent}-{startTicks}"), command);
    }

    /// <summary>The nearest ancestor whose name is cargo, else the parent; 0 when /proc cannot tell.</summary>
    private static int CargoAncestor()
    {
        var parent = ParentOf(Environment.ProcessId);
        for (int pid = parent, level = 0; pid > 1 && level < MaxAncestors; pid = ParentOf(pid), level++)
        {
            if (Name(pid) == "cargo")
            {
                return pid;
            }
        }
        return parent;
    }

    private static int ParentOf(int pid) =>
        StatField(pid, 4) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : 0;

    private static string? Name(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        var open = stat?.IndexOf('(') ?? -1;
        var close = stat?.LastIndexOf(')') ?? -1;
        return stat is not null && open >= 0 && close > open ? stat[(open + 1)..close] : null;
    }

    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so count from the last ')'.
    private static string? StatField(int pid, int field)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0)
        {
            return null;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = field - 3;
        return index >= 0 && index < fields.Length ? fields[index] : null;
    }

    private static string CommandLine(int pid)
    {
        var raw = TryRead($"/proc/{pid}/cmdline");
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }
        var words = raw.TrimEnd('\0').Split('\0');
        words[0] = Path.GetFileName(words[0]);
        var command = string.Join(' ', words);
        return command.Length <= MaxCommandChars ? command : command[..MaxCommandChars] + "…";
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
