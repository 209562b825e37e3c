using System.Runtime.InteropServices;

namespace CacheFarm.Client.Processes;

/// <summary>Runs a program to its end on the calling thread (see <see cref="PosixSpawn"/>): shared output, no output, or output teed.</summary>
public static partial class ChildProcess
{
    private const int Interrupted = 4;

    /// <summary>Runs <paramref name="path"/> with shared stdout and stderr, or none when <paramref name="quiet"/>; returns the exit code (128+signal when killed).</summary>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static int Run(string path, IReadOnlyList<string> args, bool quiet, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!quiet)
        {
            return Wait(PosixSpawn.Start(path, args, environment, -1, -1));
        }
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        var fd = (int)devNull.DangerousGetHandle();
        return Wait(PosixSpawn.Start(path, args, environment, fd, fd));
    }

    /// <summary>
    /// Runs <paramref name="path"/> and forwards what it prints to this process's stdout and stderr (or the
    /// descriptors in <paramref name="forwardTo"/>) as it arrives, keeping a copy of each; returns the exit code and the copies.
    /// </summary>
    /// <param name="whileRunning">Work for this thread once the program has started, before its output is read (the pipes hold what it prints meanwhile).</param>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static (int ExitCode, byte[] Stdout, byte[] Stderr) RunTeed(
        string path, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, (int Stdout, int Stderr)? forwardTo = null, Action? whileRunning = null)
    {
        var (outRead, outWrite) = OutputTee.Pipe();
        var (errRead, errWrite) = OutputTee.Pipe();
        int pid;
        try
        {
            pid = PosixSpawn.Start(path, args, environment, outWrite, errWrite);
        }
        catch
        {
            OutputTee.Close(outRead);
            OutputTee.Close(errRead);
            throw;
        }
        finally
        {
            // Only the child holds the write ends now, so its exit ends the reads.
            OutputTee.Close(outWrite);
            OutputTee.Close(errWrite);
        }
        whileRunning?.Invoke();
        var (stdout, stderr) = OutputTee.Run(outRead, errRead, forwardTo ?? (1, 2));
        return (Wait(pid), stdout, stderr);
    }

    // A wrapper interrupted by Ctrl-C keeps waiting: rustc got the same signal, and its exit code is what cargo needs.
    private static int Wait(int pid)
    {
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

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
