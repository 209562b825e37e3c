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
        // "size mtime ctime inode device" (the stamp's version), then the mode and the digest.
        var hashAt = line.LastIndexOf(' ');
        var modeAt = hashAt < 0 ? -1 : line[..hashAt].LastIndexOf(' ');
        if (modeAt < 0 || !FileStamp.TryParseVersion(line[..modeAt], out var stamp)
            || !uint.TryParse(line[(modeAt + 1)..hashAt], CultureInfo.InvariantCulture, out var mode)
            || !ContentDigest.TryParseHex(line[(hashAt + 1)..].ToString(), out var hash))
        {
            return false;
        }
        memo = new MemoizedDigest(stamp with { Mode = mode }, ContentDigest.FromHash(hash, stamp.Size));
        return true;
    }
}
