using System.Text;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The digests of every input a command's last matching candidate had, and the paths it found absent, kept in
/// one memo file per first-level key. A C++ compile reads hundreds of headers and looks up thousands that are
/// not there: checking them costs one read of this file, a stat per header and one per directory, not a memo
/// file read per header and a stat per path. A digest is used only while its file's stamp is unchanged, an
/// absence only while the stamp of the directory that vouched for it is (see <see cref="FileDigestMemo.IsAbsent"/>).
/// </summary>
public static class DigestBundle
{
    // "A:" marked the older form, whose names could not hold a slash; its lines no longer parse as anything.
    private const string AbsentMark = "W:";

    public static void LoadInto(FileDigestMemo digests, string key)
    {
        if (MemoFile.TryReadWhole(PathFor(digests, key)) is not { } text)
        {
            return;
        }
        // Split on newlines alone: the writer rules out only those (and tabs), so a carriage return is part of a path.
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range);
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
            if (MemoFile.FitsInLine(path))
            {
                text.Append(path).Append('\t').Append(memo.ToLine()).Append('\n');
            }
        }
        foreach (var witness in digests.Absent.GroupBy(a => a.Value, a => a.Key))
        {
            var names = witness.Select(witness.Key.NameOf).OfType<string>().Where(MemoFile.FitsInLine);
            if (MemoFile.FitsInLine(witness.Key.Directory))
            {
                text.Append(AbsentMark).Append(witness.Key.Directory).Append('\t').Append(witness.Key.Stamp.VersionText).Append('\t').AppendJoin('\t', names).Append('\n');
            }
        }
        MemoFile.TryWriteWhole(PathFor(digests, key), text.ToString());
    }

    // "W:<directory>\t<its stamp>\t<relative path>\t<relative path>…": one line per directory that vouched for absences.
    private static void LoadAbsent(FileDigestMemo digests, ReadOnlySpan<char> rest)
    {
        var first = rest.IndexOf('\t');
        var second = first < 0 ? -1 : rest[(first + 1)..].IndexOf('\t') + first + 1;
        if (second <= first || !FileStamp.TryParseVersion(rest[(first + 1)..second], out var stamp))
        {
            return;
        }
        var witness = new AbsenceWitness(rest[..first].ToString(), stamp);
        foreach (var name in rest[(second + 1)..].ToString().Split('\t', StringSplitOptions.RemoveEmptyEntries))
        {
            digests.SeedAbsent(witness.PathOf(name), witness);
        }
    }

    private static string PathFor(FileDigestMemo digests, string key) => MemoFile.PathFor(Path.Combine(digests.MemoDirectory, "bundles"), key);
}
