using System.Runtime.InteropServices;

namespace CacheFarm.Client.Processes;

/// <summary>
/// Reads a child's stdout and stderr pipes with poll(2) on the calling thread, forwarding each chunk to this
/// process's own descriptor at once (cargo needs rustc's JSON "artifact" notices on time to pipeline) and keeping
/// a copy. One thread, no thread pool, no socket engine.
/// </summary>
internal static unsafe partial class OutputTee
{
    private const int CloseOnExec = 0x80000;
    private const short Readable = 0x1;
    private const int Interrupted = 4;
    private const int BufferBytes = 64 << 10;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    /// <summary>A pipe whose ends are closed on exec; the spawn duplicates the write end onto the child's 1 or 2.</summary>
    public static (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Pipe2(fds, CloseOnExec) != 0)
        {
            throw new IOException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return (fds[0], fds[1]);
    }

    public static void Close(int fd) => _ = CloseFd(fd);

    /// <summary>Forwards both pipes to <paramref name="forwardTo"/> (a negative descriptor: copy only) until each reaches its end; closes them and returns the copies.</summary>
    public static (byte[] Stdout, byte[] Stderr) Run(int stdout, int stderr, (int Stdout, int Stderr) forwardTo)
    {
        using var outCopy = new MemoryStream();
        using var errCopy = new MemoryStream();
        var copies = new[] { outCopy, errCopy };
        var forward = new[] { true, true };
        var open = new[] { stdout, stderr };
        var targets = new[] { forwardTo.Stdout, forwardTo.Stderr };
        // On the stack: a fresh 64 KiB heap array costs a wrapper more in page faults and clearing than the copy it serves.
        Span<byte> buffer = stackalloc byte[BufferBytes];
        var polled = stackalloc PollDescriptor[2];
        try
        {
            while (open[0] >= 0 || open[1] >= 0)
            {
                for (var i = 0; i < 2; i++)
                {
                    // poll skips negative descriptors, so a finished stream just drops out.
                    polled[i] = new PollDescriptor { Fd = open[i], Events = Readable };
                }
                if (Poll(polled, 2, -1) < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == Interrupted)
                    {
                        continue;
                    }
                    throw new IOException($"poll failed: errno {error}");
                }
                for (var i = 0; i < 2; i++)
                {
                    if (open[i] >= 0 && polled[i].Returned != 0 && !Drain(open[i], targets[i], buffer, copies[i], ref forward[i]))
                    {
                        Close(open[i]);
                        open[i] = -1;
                    }
                }
            }
        }
        finally
        {
            foreach (var fd in open.Where(fd => fd >= 0))
            {
                Close(fd);
            }
        }
        return (outCopy.ToArray(), errCopy.ToArray());
    }

    // One read; false at the end of the stream.
    private static bool Drain(int from, int to, Span<byte> buffer, MemoryStream copy, ref bool forward)
    {
        nint read;
        fixed (byte* data = buffer)
        {
            while ((read = ReadFd(from, data, buffer.Length)) < 0 && Marshal.GetLastPInvokeError() == Interrupted)
            {
            }
        }
        if (read <= 0)
        {
            return false;
        }
        copy.Write(buffer[..(int)read]);
        // Once the reader is gone (cargo was interrupted) stop forwarding, but keep draining so rustc is not blocked.
        forward = forward && to >= 0 && WriteAll(to, buffer[..(int)read]);
        return true;
    }

    private static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (var written = 0; written < data.Length;)
            {
                var n = WriteFd(fd, start + written, data.Length - written);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interrupted)
                    {
                        continue;
                    }
                    return false;
                }
                written += (int)n;
            }
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadFd(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteFd(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);
}
