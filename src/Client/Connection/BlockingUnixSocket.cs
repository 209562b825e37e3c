using System.Runtime.InteropServices;
using System.Text;

namespace CacheFarm.Client.Connection;

/// <summary>
/// A connected Unix stream socket driven by blocking libc calls, each wait bounded by <see cref="CallDeadline"/>.
/// System.Net.Sockets starts its event-loop thread with the first socket of a process, which a wrapper that
/// lives for milliseconds paid on every call.
/// </summary>
internal sealed unsafe partial class BlockingUnixSocket : IDisposable
{
    private const int AddressFamilyUnix = 1;
    private const int StreamCloseOnExec = 1 | 0x80000;
    private const int NoSignal = 0x4000;
    private const int ShutdownBoth = 2;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const int Interrupted = 4;
    private const int PathBytes = 108;

    private readonly int _fd;
    private int _closed;

    private BlockingUnixSocket(int fd) => _fd = fd;

    /// <exception cref="IOException">No daemon listens at <paramref name="path"/>, or the path cannot name a socket.</exception>
    public static BlockingUnixSocket Connect(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= PathBytes)
        {
            throw new IOException($"socket path too long ({bytes.Length} bytes): {path}");
        }
        var fd = Socket(AddressFamilyUnix, StreamCloseOnExec, 0);
        if (fd < 0)
        {
            throw Failure("socket");
        }
        var address = stackalloc byte[2 + PathBytes];
        new Span<byte>(address, 2 + PathBytes).Clear();
        *(ushort*)address = AddressFamilyUnix;
        bytes.CopyTo(new Span<byte>(address + 2, PathBytes));
        int result;
        while ((result = ConnectTo(fd, address, 2 + bytes.Length + 1)) < 0 && Marshal.GetLastPInvokeError() == Interrupted)
        {
        }
        if (result < 0)
        {
            var error = Failure("connect");
            _ = Close(fd);
            throw error;
        }
        return new BlockingUnixSocket(fd);
    }

    /// <exception cref="IOException">The connection failed or the deadline passed.</exception>
    public void SendAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (var sent = 0; sent < data.Length;)
            {
                WaitFor(PollOut);
                var n = Send(_fd, start + sent, data.Length - sent, NoSignal);
                if (n < 0 && Marshal.GetLastPInvokeError() != Interrupted)
                {
                    throw Failure("send");
                }
                sent += (int)Math.Max(n, 0);
            }
        }
    }

    /// <exception cref="IOException">The connection failed or closed early, or the deadline passed.</exception>
    public void ReceiveAll(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            for (var read = 0; read < buffer.Length;)
            {
                WaitFor(PollIn);
                var n = Receive(_fd, start + read, buffer.Length - read, 0);
                if (n == 0)
                {
                    throw new IOException("the daemon closed the connection");
                }
                if (n < 0 && Marshal.GetLastPInvokeError() != Interrupted)
                {
                    throw Failure("recv");
                }
                read += (int)Math.Max(n, 0);
            }
        }
    }

    /// <summary>Wakes a wait on another thread (it then fails) without freeing the descriptor under it.</summary>
    public void Abort() => _ = Shutdown(_fd, ShutdownBoth);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _ = Close(_fd);
        }
    }

    private void WaitFor(short events)
    {
        var poll = new PollDescriptor { Fd = _fd, Events = events };
        while (true)
        {
            var timeout = CallDeadline.PollMilliseconds();
            if (timeout == 0)
            {
                throw new TimeoutException("the call's deadline passed");
            }
            var ready = Poll(&poll, 1, timeout);
            if (ready > 0)
            {
                return;
            }
            if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted)
            {
                throw Failure("poll");
            }
        }
    }

    private static IOException Failure(string call) =>
        new($"{call}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectTo(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* descriptors, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
