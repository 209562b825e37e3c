using System.Runtime.InteropServices;
using System.Text;
using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Appends whole lines to a log file shared by concurrent rustc wrappers. .NET's FileMode.Append seeks instead
/// of opening with O_APPEND, so parallel writers could overwrite each other; a single write(2) on an O_APPEND
/// descriptor cannot.
/// </summary>
public static partial class AppendLog
{
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int CloseOnExec = 0x80000;

    public static unsafe void Write(string path, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line.EndsWith('\n') ? line : line + "\n");
        var fd = Open(path, WriteOnly | Create | Append | CloseOnExec, 0x1a4);
        if (fd < 0)
        {
            return;
        }
        fixed (byte* data = bytes)
        {
            _ = WriteBytes(fd, data, bytes.Length);
        }
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write")]
    private static unsafe partial nint WriteBytes(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
