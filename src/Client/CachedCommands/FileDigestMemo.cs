using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Digests of individual files (extern crates, native libraries, outputs) remembered across rustc calls: one
/// small file per path under <c>memo/files</c>, trusted only while the file's stamp is unchanged. A crate's
/// outputs are remembered when they are written, so the crates that depend on them never re-read them.
/// </summary>
public sealed class FileDigestMemo(string memoDirectory, FileStamps stamps)
{
    private readonly string _directory = Path.Combine(memoDirectory, "files");
    private readonly Dictionary<string, ContentDigest> _thisCall = new(StringComparer.Ordinal);

    /// <summary>The call's stamps, which this memo reads through.</summary>
    public FileStamps Stamps => stamps;

    /// <summary>The digest of a file; false when it does not exist.</summary>
    public bool TryGet(string path, out ContentDigest digest)
    {
        if (_thisCall.TryGetValue(path, out digest))
        {
            return true;
        }
        if (!stamps.TryRead(path, out var stamp) || !stamp.IsRegularFile)
        {
            return false;
        }
        var memoPath = MemoPath(path);
        if (MemoFile.TryRead(memoPath) is { } text && MemoizedDigest.TryParse(text.AsSpan().TrimEnd(), out var memo) && memo.Stamp.SameVersion(stamp))
        {
            digest = memo.Digest;
        }
        else
        {
            digest = FileContentHash.Compute(path);
            if (FileStamp.TryRead(path, out var after) && after.SameVersion(stamp) && stamp.IsSettled(FileStamp.NowNs()))
            {
                MemoFile.TryWrite(memoPath, new MemoizedDigest(stamp, digest).ToLine());
            }
        }
        _thisCall[path] = digest;
        return true;
    }

    /// <summary>Remembers the digest of a file this process has just written or produced (its bytes are known, so no racy-window wait).</summary>
    public void Remember(string path, ContentDigest digest)
    {
        _thisCall[path] = digest;
        if (FileStamp.TryRead(path, out var stamp) && stamp.Size == digest.Size)
        {
            MemoFile.TryWrite(MemoPath(path), new MemoizedDigest(stamp, digest).ToLine());
        }
    }

    private string MemoPath(string path) => MemoFile.PathFor(_directory, path);
}
