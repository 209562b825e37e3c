using System.Text;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The digests of every input a command's last matching candidate had, and the paths it found absent, kept in
/// one memo file per first-level key. A C++ compile reads hundreds of headers and looks up thousands that are
/// not there: checking them costs one read of this file, a stat per header and one per directory, not a memo
/// file read per header and a stat per path. A digest is used only while its file's stamp is unchanged, an
/// absence only while its directory's is (see <see cref="FileDigestMemo.IsAbsent"/>).
/// </summary>
public static class DigestBundle
{
    private const string AbsentMark = "A:";

    public static void LoadInto(FileDigestMemo digests, string key)
    {
        if (MemoFile.TryRead(PathFor(digests, key)) is not { } text)
        {
            return;
        }
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                continue;
            }
            if (line.StartsWith(AbsentMark))
            {
                LoadAbsent(digests, line[AbsentMark.Length..]);
            }
            else if (MemoizedDigest.TryParse(line[(tab + 1)..], out var memo))
            {
                digests.Seed(line[..tab].ToString(), memo);
            }
        }
    }

    /// <summary>Saves what this call used, unless the bundle already held all of it.</summary>
    public static void SaveIfNew(FileDigestMemo digests, string key)
    {
        if (!digests.HasUnseeded)
        {
            return;
        }
        var text = new StringBuilder();
        foreach (var (path, memo) in digests.Settled)
        {
            if (!path.Contains('\n', StringComparison.Ordinal) && !path.Contains('\t', StringComparison.Ordinal))
            {
                text.Append(path).Append('\t').Append(memo.ToLine()).Append('\n');
            }
        }
        foreach (var directory in digests.Absent.GroupBy(a => Path.GetDirectoryName(a.Key)!, StringComparer.Ordinal))
        {
            var names = directory.Select(a => Path.GetFileName(a.Key)).Where(n => !n.Contains('\n', StringComparison.Ordinal) && !n.Contains('\t', StringComparison.Ordinal));
            if (!directory.Key.Contains('\n', StringComparison.Ordinal) && !directory.Key.Contains('\t', StringComparison.Ordinal))
            {
                text.Append(AbsentMark).Append(directory.Key).Append('\t').Append(directory.First().Value.VersionText).Append('\t').AppendJoin('/', names).Append('\n');
            }
        }
        MemoFile.TryWrite(PathFor(digests, key), text.ToString());
    }

    // "A:<directory>\t<its stamp>\t<name>/<name>…": names cannot hold a slash, so one line lists a directory's absent paths.
    private static void LoadAbsent(FileDigestMemo digests, ReadOnlySpan<char> rest)
    {
        var first = rest.IndexOf('\t');
        var second = first < 0 ? -1 : rest[(first + 1)..].IndexOf('\t') + first + 1;
        if (second <= first || !FileStamp.TryParseVersion(rest[(first + 1)..second], out var stamp))
        {
            return;
        }
        var directory = rest[..first].ToString();
        foreach (var name in rest[(second + 1)..].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            digests.SeedAbsent(Path.Combine(directory, name), stamp);
        }
    }

    private static string PathFor(FileDigestMemo digests, string key) => MemoFile.PathFor(Path.Combine(digests.MemoDirectory, "bundles"), key);
}
