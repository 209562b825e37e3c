using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// What a traced access depended on, as a digest that is recomputed at lookup: a file's content (memoised by
/// stamp), a directory's sorted names, or only whether the path exists and as what.
/// </summary>
public static class PathObservation
{
    /// <summary>Content of a file read or a program run; a directory read this way counts as listed.</summary>
    public const char Content = 'R';

    /// <summary>Existence and type only (stat, access, a failed open).</summary>
    public const char Kind = 'S';

    /// <summary>The names in a directory.</summary>
    public const char Listing = 'D';

    /// <summary>What any path that does not exist observes as (computed once: a C++ compile looks up hundreds of absent headers).</summary>
    public static readonly ContentDigest Absent = Text("absent");

    private static readonly ContentDigest RegularFile = Text("file");
    private static readonly ContentDigest Directory = Text("directory");
    private static readonly ContentDigest Other = Text("other");

    public static ContentDigest Observe(char what, string path, FileDigestMemo digests)
    {
        if ((what == Kind && digests.IsAbsent(path)) || !FileStamp.TryRead(path, out var stamp))
        {
            return Absent;
        }
        var isDirectory = (stamp.Mode & 0xF000) == 0x4000;
        return what switch
        {
            Content when stamp.IsRegularFile => digests.TryGet(path, out var digest) ? digest : Absent,
            Content or Listing when isDirectory => ListingDigest(path),
            _ => stamp.IsRegularFile ? RegularFile : isDirectory ? Directory : Other,
        };
    }

    private static ContentDigest ListingDigest(string path)
    {
        try
        {
            var names = System.IO.Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            return Text("directory:" + string.Join('\n', names));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Text("unlistable");
        }
    }

    private static ContentDigest Text(string text) => ContentDigest.Of(Encoding.UTF8.GetBytes(text));
}
