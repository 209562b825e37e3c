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
    private readonly Dictionary<string, MemoizedDigest> _settled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbsenceWitness> _seededAbsent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AbsenceWitness> _absent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DirectoryState> _directories = new(StringComparer.Ordinal);
    private FileStamps _stamps = stamps;
    private bool _toolRan;

    /// <summary>The call's stamps, which this memo reads through.</summary>
    public FileStamps Stamps => _stamps;

    public string MemoDirectory => memoDirectory;

    /// <summary>Every digest this call used whose file had settled when it was taken, with that stamp: what a <see cref="DigestBundle"/> keeps.</summary>
    public IReadOnlyDictionary<string, MemoizedDigest> Settled => _settled;

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

    /// <summary>True when this call's digest of <paramref name="path"/> was taken at <paramref name="stamp"/>, already settled then.</summary>
    public bool IsSettled(string path, FileStamp stamp) => _settled.TryGetValue(path, out var memo) && memo.Stamp.SameVersion(stamp);

    /// <summary>
    /// The tool has run: it may have changed any file and made any path that was absent before. From here on,
    /// stamps are read again, digests are taken again (or from a memo whose stamp still matches), and no absence
    /// is answered from a seed or a directory looked at before. What was found before the run stays true of that
    /// moment, which is all the bundles and the lookup memo claim.
    /// </summary>
    public void ToolRan()
    {
        _toolRan = true;
        _stamps = new FileStamps();
        _thisCall.Clear();
        _directories.Clear();
    }

    /// <summary>
    /// Whether a path is absent. A compile looks up hundreds of headers that are not there; while the directory
    /// that vouched for a path's absence has the stamp it had when a bundle saw the path absent, no entry was made
    /// in it since, so one stat of the directory answers for all of them. A path under a missing directory is
    /// absent without a look of its own: <c>bits/</c> under each of a compile's include directories holds
    /// thousands of such paths. A dangling symlink on the way vouches for nothing: its target can appear
    /// without any directory on the path changing.
    /// </summary>
    public bool IsAbsent(string path)
    {
        if (!_toolRan && _seededAbsent.TryGetValue(path, out var seen) && _stamps.TryRead(seen.Directory, out var now) && now.SameVersion(seen.Stamp))
        {
            _absent[path] = seen with { Stamp = now };
            return true;
        }
        if (Path.GetDirectoryName(path) is not { Length: > 0 } directory)
        {
            return !FileStamp.TryRead(path, out _);
        }
        var state = StateOf(directory);
        if (state.Missing)
        {
            RecordAbsence(path, state.Witness);
            return true;
        }
        // The directory's stamp was read before this look: an entry made after it gives the directory another stamp than the one kept.
        switch (Look(path))
        {
            case Found.Present:
                return false;
            case Found.Nothing:
                RecordAbsence(path, state.Stamp.IsSettled(FileStamp.NowNs()) ? new AbsenceWitness(directory, state.Stamp) : null);
                break;
        }
        return true;
    }

    private void RecordAbsence(string path, AbsenceWitness? witness)
    {
        if (witness is { } known)
        {
            _absent[path] = known;
            HasUnseeded = true;
        }
    }

    private enum Found
    {
        Present,
        Nothing,
        DanglingLink,
    }

    // One lstat for the usual answer; a symlink is followed to tell a dangling one from a live one.
    private static Found Look(string path) =>
        !FileStamp.TryReadEntry(path, out var entry) ? Found.Nothing
        : !entry.IsSymbolicLink || FileStamp.TryRead(path, out _) ? Found.Present
        : Found.DanglingLink;

    // Whether a directory exists (with its stamp) or not (with the settled directory above it that vouches for that).
    private DirectoryState StateOf(string directory)
    {
        if (_directories.TryGetValue(directory, out var state))
        {
            return state;
        }
        if (_stamps.TryRead(directory, out var stamp))
        {
            state = new DirectoryState(false, stamp, null);
        }
        else if (Path.GetDirectoryName(directory) is not { Length: > 0 } parent)
        {
            state = new DirectoryState(true, default, null);
        }
        else
        {
            var above = StateOf(parent);
            // Looked for again after the parent's stamp was read, so that stamp vouches for the absence.
            state = above.Missing ? above
                : FileStamp.TryRead(directory, out var made) ? new DirectoryState(false, made, null)
                : new DirectoryState(true, default, Look(directory) == Found.Nothing && above.Stamp.IsSettled(FileStamp.NowNs()) ? new AbsenceWitness(parent, above.Stamp) : null);
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
        if (!_stamps.TryRead(path, out var stamp) || !stamp.IsRegularFile)
        {
            return false;
        }
        if (_seeded.TryGetValue(path, out var seeded) && seeded.Stamp.SameVersion(stamp))
        {
            digest = seeded.Digest;
            _settled[path] = seeded;
            _thisCall[path] = digest;
            return true;
        }
        HasUnseeded = true;
        var memoPath = MemoPath(path);
        if (MemoFile.TryRead(memoPath) is { } text && MemoizedDigest.TryParse(text.AsSpan().TrimEnd(), out var memo) && memo.Stamp.SameVersion(stamp))
        {
            digest = memo.Digest;
            _settled[path] = memo;
        }
        else
        {
            digest = FileContentHash.Compute(path);
            if (FileStamp.TryRead(path, out var after) && after.SameVersion(stamp) && stamp.IsSettled(FileStamp.NowNs()))
            {
                var fresh = new MemoizedDigest(stamp, digest);
                MemoFile.TryWrite(memoPath, fresh.ToLine());
                _settled[path] = fresh;
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
