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
    private readonly Dictionary<string, AbsenceWitness> _seededAbsent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbsenceWitness> _absent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DirectoryState> _directories = new(StringComparer.Ordinal);
    private bool _toolRan;

    /// <summary>The call's stamps, which this memo reads through.</summary>
    public FileStamps Stamps => stamps;

    public string MemoDirectory => memoDirectory;

    /// <summary>Every digest this call used whose file has settled, with its stamp: what a <see cref="DigestBundle"/> keeps.</summary>
    public IReadOnlyList<(string Path, MemoizedDigest Memo)> Settled => _settled;

    /// <summary>True when a digest this call used came from somewhere other than a seed: a bundle saved now would be new.</summary>
    public bool HasUnseeded { get; private set; }

    /// <summary>
    /// The paths this call found absent that a settled directory vouches for: the path's own directory, or the
    /// nearest existing one above it when that directory lacks the path's next component.
    /// </summary>
    public IReadOnlyDictionary<string, AbsenceWitness> Absent => _absent;

    /// <summary>Digests known from a bundle: used instead of the per-file memo while the file's stamp is the same.</summary>
    public void Seed(string path, MemoizedDigest memo) => _seeded[path] = memo;

    /// <summary>A path a bundle saw absent, with the directory that vouched for it then.</summary>
    public void SeedAbsent(string path, AbsenceWitness witness) => _seededAbsent[path] = witness;

    /// <summary>
    /// The tool has run: it may have made any path that was absent before. Absences seen or seeded so far are
    /// not reused; each is looked up again.
    /// </summary>
    public void ToolRan()
    {
        _toolRan = true;
        _directories.Clear();
    }

    /// <summary>
    /// Whether a path is absent. A compile looks up hundreds of headers that are not there; while the directory
    /// that vouched for a path's absence has the stamp it had when a bundle saw the path absent, no entry was made
    /// in it since, so one stat of the directory answers for all of them. A path under a missing directory is
    /// absent without a look of its own: <c>bits/</c> under each of a compile's include directories holds
    /// thousands of such paths.
    /// </summary>
    public bool IsAbsent(string path)
    {
        if (!_toolRan && _seededAbsent.TryGetValue(path, out var seen) && stamps.TryRead(seen.Directory, out var now) && now.SameVersion(seen.Stamp))
        {
            _absent[path] = seen with { Stamp = now };
            return true;
        }
        if (Path.GetDirectoryName(path) is not { } directory)
        {
            return !FileStamp.TryRead(path, out _);
        }
        var state = StateOf(directory);
        if (state.Missing)
        {
            Remember(path, state.Witness);
            return true;
        }
        // The directory's stamp was read before this look: an entry made after it gives the directory another stamp than the one kept.
        if (FileStamp.TryRead(path, out _))
        {
            return false;
        }
        Remember(path, state.Stamp.IsSettled(FileStamp.NowNs()) ? new AbsenceWitness(directory, state.Stamp) : null);
        return true;
    }

    private void Remember(string path, AbsenceWitness? witness)
    {
        if (witness is { } known)
        {
            _absent[path] = known;
            HasUnseeded = true;
        }
    }

    // Whether a directory exists (with its stamp) or not (with the settled directory above it that vouches for that).
    private DirectoryState StateOf(string directory)
    {
        if (_directories.TryGetValue(directory, out var state))
        {
            return state;
        }
        if (stamps.TryRead(directory, out var stamp))
        {
            state = new DirectoryState(false, stamp, null);
        }
        else if (Path.GetDirectoryName(directory) is not { } parent)
        {
            state = new DirectoryState(true, default, null);
        }
        else
        {
            var above = StateOf(parent);
            if (above.Missing)
            {
                state = above;
            }
            else if (FileStamp.TryRead(directory, out var made))
            {
                // Made since the first look.
                state = new DirectoryState(false, made, null);
            }
            else
            {
                // Looked for again after the parent's stamp was read, so that stamp vouches for the absence.
                state = new DirectoryState(true, default, above.Stamp.IsSettled(FileStamp.NowNs()) ? new AbsenceWitness(parent, above.Stamp) : null);
            }
        }
        _directories[directory] = state;
        return state;
    }

    private readonly record struct DirectoryState(bool Missing, FileStamp Stamp, AbsenceWitness? Witness);

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
