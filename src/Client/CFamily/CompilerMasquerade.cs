using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Processes;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// cachefarm called under a C or C++ compiler's name (<c>cc</c>, <c>gcc</c>, <c>clang++</c>, …): a link a user put on
/// PATH, or a shim in the directory that a build script's run finds first on PATH. Either way the call goes to
/// <see cref="CFamilyCommand"/> with the real compiler, the next one PATH names. A shim's run also passes the
/// run's <c>-ffile-prefix-map</c> flags (<see cref="PrefixMapsVariable"/>): flags on the command line survive what a
/// script does to CFLAGS (psm deletes every *CFLAGS variable), and cc-rs prints the same <c>running: "cc" …</c>
/// lines as without cachefarm.
/// </summary>
public static class CompilerMasquerade
{
    /// <summary>The prefix maps, one <c>old=new</c> a line, in the order the flags are given.</summary>
    public const string PrefixMapsVariable = "CACHEFARM_PREFIX_MAPS";

    // PATH_MAX: argv[0] is a path at most this long.
    private const int ArgumentZeroBytes = 4096;

    /// <summary>The compiler name this process was started as (through a shim or a link), or null.</summary>
    public static string? CalledAs()
    {
        // argv[0] as the caller gave it: .NET reports the resolved executable, which is cachefarm itself.
        Span<byte> commandLine = stackalloc byte[ArgumentZeroBytes];
        var length = Math.Max(ProcFile.TryRead("/proc/self/cmdline", commandLine), 0);
        var end = commandLine[..length].IndexOf((byte)0);
        var name = Path.GetFileName(Encoding.UTF8.GetString(commandLine[..(end < 0 ? length : end)]));
        return CompilerNames.Plain.Contains(name, StringComparer.Ordinal) ? name : null;
    }

    /// <summary>The <c>-ffile-prefix-map</c> flags a build script's run gives its compiles; none elsewhere.</summary>
    public static List<string> MapFlags(Func<string, string?> env) =>
        CompilerPathRemap.Flags((env(PrefixMapsVariable) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The compiler a name finds on PATH, passing over links to cachefarm itself (a shim or a masquerading link).</summary>
    public static string? FindReal(string name, string? pathVariable, string workingDirectory)
    {
        var self = Environment.ProcessPath;
        if (name.Contains('/'))
        {
            return ExecutableLookup.Find(name, pathVariable, workingDirectory) is { } path && RealPath(path) != self ? path : null;
        }
        return (pathVariable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => ExecutableLookup.Find(name, dir, workingDirectory))
            .FirstOrDefault(found => found is not null && RealPath(found) != self);
    }

    private static string RealPath(string path) => File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
}
