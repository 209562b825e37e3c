using System.Collections;
using System.Runtime.InteropServices;

namespace CacheFarm.Client.Linker;

/// <summary>
/// Runs a program and waits for it with posix_spawn and waitpid. The link shim runs once per link, so it skips
/// System.Diagnostics.Process (its SIGCHLD machinery and threads cost more than the rest of the shim together).
/// </summary>
public static unsafe partial class ChildProcess
{
    private const int WriteOnly = 0x1;
    private const int Interrupted = 4;

    // glibc's posix_spawn_file_actions_t is 80 bytes on 64-bit Linux; room to spare.
    private const int FileActionsBytes = 256;

    /// <summary>Runs <paramref name="path"/> with the process's (managed) environment; stdout and stderr are shared, or dropped when <paramref name="quiet"/>. Returns the exit code (128+signal when killed).</summary>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static int Run(string path, IReadOnlyList<string> args, bool quiet)
    {
        var strings = new List<nint>();
        var fileActions = stackalloc byte[FileActionsBytes];
        try
        {
            var argv = NullTerminated([path, .. args], strings);
            var environment = new List<string>();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                environment.Add($"{entry.Key}={entry.Value}");
            }
            var envp = NullTerminated(environment, strings);
            var pathBytes = Utf8(path, strings);
            if (quiet)
            {
                var devNull = Utf8("/dev/null", strings);
                Check(FileActionsInit(fileActions), "posix_spawn_file_actions_init");
                Check(FileActionsAddOpen(fileActions, 1, devNull, WriteOnly, 0), "posix_spawn_file_actions_addopen");
                Check(FileActionsAddDup2(fileActions, 1, 2), "posix_spawn_file_actions_adddup2");
            }
            Check(Spawn(out var pid, pathBytes, quiet ? fileActions : null, 0, argv, envp), "posix_spawn " + path);
            int status;
            int waited;
            // waitpid is restarted after a signal handler ran (EINTR); each retry still waits for the same child.
            for (var attempt = 0; (waited = WaitPid(pid, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == Interrupted && attempt < 1000; attempt++)
            {
            }
            if (waited < 0)
            {
                throw new IOException($"waitpid {pid} failed: errno {Marshal.GetLastPInvokeError()}");
            }
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
        finally
        {
            if (quiet)
            {
                _ = FileActionsDestroy(fileActions);
            }
            foreach (var pointer in strings)
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
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
    private static partial int Spawn(out int pid, byte* path, byte* fileActions, nint attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int FileActionsAddOpen(byte* fileActions, int fd, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(byte* fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* fileActions);
}
