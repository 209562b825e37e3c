using System.Collections;
using System.Runtime.InteropServices;

namespace CacheFarm.Client.Processes;

/// <summary>
/// Starts a program with posix_spawn: no fork of the wrapper, no SIGCHLD handler and no helper threads, which
/// System.Diagnostics.Process brings along (in a wrapper that lives for milliseconds, they cost more than the
/// rest of it). The child gets the wrapper's environment plus overrides, an empty signal mask and default
/// SIGPIPE handling (the .NET runtime ignores SIGPIPE, and an ignored signal survives exec).
/// </summary>
internal static unsafe partial class PosixSpawn
{
    private const int SigPipe = 13;
    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128 on 64-bit Linux.
    private const int FileActionsBytes = 256;
    private const int AttributesBytes = 512;
    private const int SignalSetBytes = 128;

    /// <summary>Starts <paramref name="path"/>; its stdout and stderr go to the given descriptors, or stay shared when -1.</summary>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static int Start(string path, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, int stdout, int stderr)
    {
        var strings = new List<nint>();
        var fileActions = stackalloc byte[FileActionsBytes];
        var attributes = stackalloc byte[AttributesBytes];
        var defaults = stackalloc byte[SignalSetBytes];
        var mask = stackalloc byte[SignalSetBytes];
        Check(FileActionsInit(fileActions), "posix_spawn_file_actions_init");
        try
        {
            Check(AttributesInit(attributes), "posix_spawnattr_init");
            try
            {
                _ = SignalSetEmpty(defaults);
                _ = SignalSetAdd(defaults, SigPipe);
                _ = SignalSetEmpty(mask);
                Check(AttributesSetSignalDefaults(attributes, defaults), "posix_spawnattr_setsigdefault");
                Check(AttributesSetSignalMask(attributes, mask), "posix_spawnattr_setsigmask");
                Check(AttributesSetFlags(attributes, SetSignalDefaults | SetSignalMask), "posix_spawnattr_setflags");
                if (stdout >= 0)
                {
                    Check(FileActionsAddDup2(fileActions, stdout, 1), "posix_spawn_file_actions_adddup2");
                }
                if (stderr >= 0)
                {
                    Check(FileActionsAddDup2(fileActions, stderr, 2), "posix_spawn_file_actions_adddup2");
                }
                var argv = NullTerminated([path, .. args], strings);
                var envp = NullTerminated(EnvironmentBlock(environment), strings);
                Check(Spawn(out var pid, Utf8(path, strings), fileActions, attributes, argv, envp), "posix_spawn " + path);
                return pid;
            }
            finally
            {
                _ = AttributesDestroy(attributes);
            }
        }
        finally
        {
            _ = FileActionsDestroy(fileActions);
            foreach (var pointer in strings)
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }

    private static List<string> EnvironmentBlock(IReadOnlyDictionary<string, string>? overrides)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return variables.Select(v => $"{v.Key}={v.Value}").ToList();
    }

    private static byte** NullTerminated(IReadOnlyList<string> values, List<nint> owned)
    {
        var array = (byte**)Marshal.AllocHGlobal((values.Count + 1) * sizeof(nint));
        owned.Add((nint)array);
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Utf8(values[i], owned);
        }
        array[values.Count] = null;
        return array;
    }

    private static byte* Utf8(string value, List<nint> owned)
    {
        var pointer = Marshal.StringToCoTaskMemUTF8(value);
        // StringToCoTaskMemUTF8 allocates with malloc on Unix, which FreeHGlobal releases.
        owned.Add(pointer);
        return (byte*)pointer;
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new IOException($"{what} failed: errno {error}");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int Spawn(out int pid, byte* path, byte* fileActions, byte* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(byte* fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(byte* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttributesSetFlags(byte* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttributesSetSignalDefaults(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttributesSetSignalMask(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(byte* attributes);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SignalSetEmpty(byte* set);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SignalSetAdd(byte* set, int signal);
}
