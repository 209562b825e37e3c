using System.Text;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The digests of every input a command's last matching candidate had, kept in one memo file per first-level
/// key. A C++ compile reads hundreds of headers: checking them costs one read of this file plus a stat each,
/// not a memo file read each. A digest is used only while its file's stamp is unchanged, as with the per-file memo.
/// </summary>
public static class DigestBundle
{
    public static void LoadInto(FileDigestMemo digests, string key)
    {
        if (MemoFile.TryRead(PathFor(digests, key)) is not { } text)
        {
            return;
        }
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var tab = line.IndexOf('\t');
            if (tab > 0 && MemoizedDigest.TryParse(line[(tab + 1)..], out var memo))
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
        MemoFile.TryWrite(PathFor(digests, key), text.ToString());
    }

    private static string PathFor(FileDigestMemo digests, string key) => MemoFile.PathFor(Path.Combine(digests.MemoDirectory, "bundles"), key);
}
