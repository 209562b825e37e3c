using System.Globalization;
using System.Runtime.InteropServices;
using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// What identifies a version of a file without reading it: size, mtime, ctime, inode and device (from statx).
/// ctime cannot be set by tools like <c>cp -p</c> or <c>touch -d</c>, which makes the stamp safe for memoising digests.
/// </summary>
public readonly partial record struct FileStamp(long Size, long MtimeNs, long CtimeNs, ulong Inode, ulong Device, uint Mode)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint ModeTypeMask = 0xF000;
    private const uint RegularFile = 0x8000;
    private const uint SymbolicLink = 0xA000;
    private const int AtSymlinkNoFollow = 0x100;

    /// <summary>A file changed this recently may change again within the same timestamp tick; its digest is not memoised.</summary>
    public static readonly long RacyWindowNs = 1_000_000_000;

    public bool IsRegularFile => (Mode & ModeTypeMask) == RegularFile;

    public bool IsExecutable => (Mode & 0x40) != 0;

    public bool IsSymbolicLink => (Mode & ModeTypeMask) == SymbolicLink;

    /// <summary>Reads the stamp of <paramref name="path"/> (following symlinks); false when it does not exist or cannot be read.</summary>
    public static bool TryRead(string path, out FileStamp stamp) => TryRead(path, 0, out stamp);

    /// <summary>Reads the stamp of the entry <paramref name="path"/> names: a symlink itself, not what it points to.</summary>
    public static bool TryReadEntry(string path, out FileStamp stamp) => TryRead(path, AtSymlinkNoFollow, out stamp);

    private static unsafe bool TryRead(string path, int flags, out FileStamp stamp)
    {
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, flags, StatxBasicStats, buffer) != 0)
        {
            stamp = default;
            return false;
        }
        stamp = new FileStamp(
            Size: *(long*)(buffer + 40),
            MtimeNs: Nanoseconds(buffer + 112),
            CtimeNs: Nanoseconds(buffer + 96),
            Inode: *(ulong*)(buffer + 32),
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            Mode: *(ushort*)(buffer + 28));
        return true;
    }

    /// <summary>True when neither mtime nor ctime falls in the racy window before <paramref name="nowNs"/>.</summary>
    public bool IsSettled(long nowNs) => nowNs - MtimeNs > RacyWindowNs && nowNs - CtimeNs > RacyWindowNs;

    /// <summary>True when the file may have been modified at or after <paramref name="sinceNs"/> (allowing for coarse kernel clocks).</summary>
    public bool ChangedSince(long sinceNs) => MtimeNs >= sinceNs - 5_000_000 || CtimeNs >= sinceNs - 5_000_000;

    /// <summary>True when the file's contents were written at or after <paramref name="sinceNs"/> (mtime only: a chmod does not count).</summary>
    public bool WrittenSince(long sinceNs) => MtimeNs >= sinceNs - 5_000_000;

    /// <summary>The fields <see cref="SameVersion"/> compares, as the memo files write them.</summary>
    public string VersionText => string.Create(CultureInfo.InvariantCulture, $"{Size} {MtimeNs} {CtimeNs} {Inode} {Device}");

    /// <summary>Reads <see cref="VersionText"/> back (the mode, which it leaves out, reads as 0).</summary>
    public static bool TryParseVersion(ReadOnlySpan<char> text, out FileStamp stamp)
    {
        stamp = default;
        Span<Range> parts = stackalloc Range[6];
        if (text.Split(parts, ' ') != 5
            || !long.TryParse(text[parts[0]], CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(text[parts[1]], CultureInfo.InvariantCulture, out var mtime)
            || !long.TryParse(text[parts[2]], CultureInfo.InvariantCulture, out var ctime)
            || !ulong.TryParse(text[parts[3]], CultureInfo.InvariantCulture, out var inode)
            || !ulong.TryParse(text[parts[4]], CultureInfo.InvariantCulture, out var device))
        {
            return false;
        }
        stamp = new FileStamp(size, mtime, ctime, inode, device, 0);
        return true;
    }

    public bool SameVersion(FileStamp other) =>
        Size == other.Size && MtimeNs == other.MtimeNs && CtimeNs == other.CtimeNs && Inode == other.Inode && Device == other.Device;

    public static long NowNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    private static unsafe long Nanoseconds(byte* timestamp) => *(long*)timestamp * 1_000_000_000 + *(uint*)(timestamp + 8);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
