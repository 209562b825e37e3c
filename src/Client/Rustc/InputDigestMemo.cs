using System.Text;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The digests of one crate's source files (everything its dep-info lists), remembered in a single file per
/// first-level key so a hit checks a large crate's inputs with one read and a stat per file.
/// </summary>
public sealed class InputDigestMemo
{
    private readonly string _path;
    private readonly Dictionary<string, MemoizedDigest> _records = new(StringComparer.Ordinal);
    private bool _changed;

    private InputDigestMemo(string path) => _path = path;

    public static InputDigestMemo Load(string memoDirectory, string firstLevelKey)
    {
        var memo = new InputDigestMemo(Path.Combine(memoDirectory, "inputs", firstLevelKey));
        if (MemoFile.TryRead(memo._path) is not { } text)
        {
            return memo;
        }
        foreach (var line in text.Split('\n'))
        {
            var tab = line.IndexOf('\t');
            if (tab > 0 && MemoizedDigest.TryParse(line.AsSpan(tab + 1), out var record))
            {
                memo._records[line[..tab]] = record;
            }
        }
        return memo;
    }

    /// <summary>The remembered digest when the file's current stamp matches the one it was hashed at.</summary>
    public bool TryGet(string path, FileStamp stamp, out MemoizedDigest record) =>
        _records.TryGetValue(path, out record) && record.Stamp.SameVersion(stamp);

    /// <summary>Remembers a digest; only settled files are kept (see <see cref="FileStamp.IsSettled"/>).</summary>
    public void Record(string path, MemoizedDigest record)
    {
        if (!MemoFile.FitsInLine(path) || !record.Stamp.IsSettled(FileStamp.NowNs()))
        {
            return;
        }
        if (!_records.TryGetValue(path, out var existing) || existing != record)
        {
            _records[path] = record;
            _changed = true;
        }
    }

    public void SaveIfChanged()
    {
        if (!_changed)
        {
            return;
        }
        var text = new StringBuilder();
        foreach (var (path, record) in _records)
        {
            text.Append(path).Append('\t').Append(record.ToLine()).Append('\n');
        }
        MemoFile.TryWrite(_path, text.ToString());
        _changed = false;
    }
}
