using System.Globalization;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>A digest remembered for one version of a file, in the one-line text form the memo files use.</summary>
public readonly record struct MemoizedDigest(FileStamp Stamp, ContentDigest Digest)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"{Stamp.VersionText} {Stamp.Mode} {Digest.Hex}");

    public static bool TryParse(ReadOnlySpan<char> line, out MemoizedDigest memo)
    {
        memo = default;
        Span<Range> parts = stackalloc Range[8];
        if (line.Split(parts, ' ') != 7
            || !long.TryParse(line[parts[0]], CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(line[parts[1]], CultureInfo.InvariantCulture, out var mtime)
            || !long.TryParse(line[parts[2]], CultureInfo.InvariantCulture, out var ctime)
            || !ulong.TryParse(line[parts[3]], CultureInfo.InvariantCulture, out var inode)
            || !ulong.TryParse(line[parts[4]], CultureInfo.InvariantCulture, out var device)
            || !uint.TryParse(line[parts[5]], CultureInfo.InvariantCulture, out var mode)
            || !ContentDigest.TryParseHex(line[parts[6]].ToString(), out var hash))
        {
            return false;
        }
        memo = new MemoizedDigest(new FileStamp(size, mtime, ctime, inode, device, mode), ContentDigest.FromHash(hash, size));
        return true;
    }
}
