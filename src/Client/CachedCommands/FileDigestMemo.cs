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
    private readonly Dictionary<string, MemoizedDigest> _seeded = new(StringComparer.Ordinal);
    private readonly List<(string Path, MemoizedDigest Memo)> _settled = [];
    private readonly Dictionary<string, FileStamp> _seededAbsent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _absent = new(StringComparer.Ordinal);

    /// <summary>The call's stamps, which this memo reads through.</summary>
    public FileStamps Stamps => stamps;

    public string MemoDirectory => memoDirectory;

    /// <summary>Every digest this call used whose file has settled, with its stamp: what a <see cref="DigestBundle"/> keeps.</summary>
    public IReadOnlyList<(string Path, MemoizedDigest Memo)> Settled => _settled;

    /// <summary>True when a digest this call used came from somewhere other than a seed: a bundle saved now would be new.</summary>
    public bool HasUnseeded { get; private set; }

    /// <summary>The paths this call found absent whose directory had settled, with the directory's stamp from before the look.</summary>
    public IReadOnlyDictionary<string, FileStamp> Absent => _absent;

    /// <summary>Digests known from a bundle: used instead of the per-file memo while the file's stamp is the same.</summary>
    public void Seed(string path, MemoizedDigest memo) => _seeded[path] = memo;

    /// <summary>A path a bundle saw absent, with its directory's stamp then.</summary>
    public void SeedAbsent(string path, FileStamp directory) => _seededAbsent[path] = directory;

    /// <summary>
    /// Whether a path is absent. A compile looks up hundreds of headers that are not there; while a path's
    /// directory has the stamp it had when a bundle saw the path absent, no entry was made in it since, so one
    /// stat of the directory answers for all of them.
    /// </summary>
    public bool IsAbsent(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (directory is not null && _seededAbsent.TryGetValue(path, out var seen) && stamps.TryRead(directory, out var now) && now.SameVersion(seen))
        {
            _absent[path] = now;
            return true;
        }
        // The directory is read before the path: an entry made after the look gives the directory another stamp than the one kept.
        var witness = directory is not null && stamps.TryRead(directory, out var before) && before.IsSettled(FileStamp.NowNs()) ? before : (FileStamp?)null;
        if (FileStamp.TryRead(path, out _))
        {
            return false;
        }
        if (witness is { } settled)
        {
            _absent[path] = settled;
            HasUnseeded = true;
        }
        return true;
    }

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
        if (_seeded.TryGetValue(path, out var seeded) && seeded.Stamp.SameVersion(stamp))
        {
            digest = seeded.Digest;
            _settled.Add((path, seeded));
            _thisCall[path] = digest;
            return true;
        }
        HasUnseeded = true;
        var memoPath = MemoPath(path);
        if (MemoFile.TryRead(memoPath) is { } text && MemoizedDigest.TryParse(text.AsSpan().TrimEnd(), out var memo) && memo.Stamp.SameVersion(stamp))
        {
            digest = memo.Digest;
            _settled.Add((path, memo));
        }
        else
        {
            digest = FileContentHash.Compute(path);
            if (FileStamp.TryRead(path, out var after) && after.SameVersion(stamp) && stamp.IsSettled(FileStamp.NowNs()))
            {
                var fresh = new MemoizedDigest(stamp, digest);
                MemoFile.TryWrite(memoPath, fresh.ToLine());
                _settled.Add((path, fresh));
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
