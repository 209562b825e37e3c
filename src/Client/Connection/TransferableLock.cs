using System.Runtime.InteropServices;

namespace CacheFarm.Client.Connection;

/// <summary>
/// An exclusive flock taken through libc, which a child process can inherit and keep: closing this process's
/// descriptor leaves the lock with the child. (A FileStream's lock cannot be handed over: disposing it unlocks
/// the lock for every holder.)
/// </summary>
internal sealed partial class TransferableLock : IDisposable
{
    private const int ReadWrite = 2;
    private const int Create = 0x40;
    private const int CloseOnExecFlag = 0x80000;
    private const int Exclusive = 2;
    private const int NonBlocking = 4;
    private const int WouldBlock = 11;
    private const int SetDescriptorFlags = 2;
    private const int CloseOnExecDescriptor = 1;

    private TransferableLock(int descriptor) => Descriptor = descriptor;

    public int Descriptor { get; }

    /// <summary>The lock on <paramref name="path"/> (created if missing), or null while another holder has it.</summary>
    /// <exception cref="IOException">The file could not be opened or locked for another reason.</exception>
    public static TransferableLock? TryTake(string path)
    {
        var fd = Open(path, ReadWrite | Create | CloseOnExecFlag, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            throw new IOException($"open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        if (Flock(fd, Exclusive | NonBlocking) == 0)
        {
            return new TransferableLock(fd);
        }
        var error = Marshal.GetLastPInvokeError();
        _ = Close(fd);
        return error == WouldBlock ? null : throw new IOException($"flock {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>Lets programs this process starts inherit the descriptor (true), or not (false, the default).</summary>
    /// <exception cref="IOException">The descriptor's flags could not be changed.</exception>
    public void Inheritable(bool inheritable)
    {
        if (Fcntl(Descriptor, SetDescriptorFlags, inheritable ? 0 : CloseOnExecDescriptor) < 0)
        {
            throw new IOException($"fcntl: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Closes this process's descriptor; the lock stays with any process that inherited it.</summary>
    public void Dispose() => _ = Close(Descriptor);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
