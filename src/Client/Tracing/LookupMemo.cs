using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// The entry key a traced lookup settled on, remembered on this machine with the stamps of everything its
/// candidate observed: each file read and directory listed, the type of each path looked up, and for paths found
/// absent the stamp their directory had before the look. While every stamp is unchanged, the checkout roots are the
/// same and each variable has its value, the candidate still matches, so the next lookup goes straight to the
/// entry: no manifest to fetch and parse, no key over thousands of inputs. Any difference falls back to the
/// full lookup, and only stamps outside the racy window are kept, as for the digest memo.
/// </summary>
public static class LookupMemo
{
    private const char EntryLine = 'K', RootLine = 'P', StampLine = 'F', TypeLine = 'T', AbsentLine = 'A', WitnessLine = 'W', VariableLine = 'E', UnsetLine = 'U';

    private const uint TypeBits = 0xF000;

    /// <summary>The remembered entry key when everything it depended on is as it was; otherwise null.</summary>
    public static string? TryMatch(string memoDirectory, string firstLevelKey, CheckoutRoots roots, Func<string, string?> variable)
    {
        if (MemoFile.TryRead(PathFor(memoDirectory, firstLevelKey)) is not { } text)
        {
            return null;
        }
        string? entryKey = null;
        var rootCount = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.Length < 2)
            {
                continue;
            }
            var rest = line[2..];
            var tab = rest.IndexOf('\t');
            var ok = line[0] switch
            {
                EntryLine => (entryKey = rest.ToString()).Length > 0,
                RootLine => tab > 0 && roots.Get(rest[..tab].ToString())?.Path is { } path && rest[(tab + 1)..].SequenceEqual(path) && ++rootCount > 0,
                StampLine => tab > 0 && FileStamp.TryParseVersion(rest[(tab + 1)..], out var kept) && FileStamp.TryRead(rest[..tab].ToString(), out var now) && now.SameVersion(kept),
                TypeLine => tab > 0 && uint.TryParse(rest[(tab + 1)..], out var type) && FileStamp.TryRead(rest[..tab].ToString(), out var seen) && (seen.Mode & TypeBits) == type,
                AbsentLine => !FileStamp.TryRead(rest.ToString(), out _),
                WitnessLine => tab > 0 && FileStamp.TryParseVersion(rest[(tab + 1)..], out var before) && FileStamp.TryRead(rest[..tab].ToString(), out var current) && current.SameVersion(before),
                VariableLine => tab > 0 && variable(rest[..tab].ToString()) is { } value && rest[(tab + 1)..].SequenceEqual(value),
                UnsetLine => variable(rest.ToString()) is null,
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }
        return rootCount == roots.Roots.Count ? entryKey : null;
    }

    /// <summary>Remembers a candidate that just matched, with the stamps this call saw; nothing when one of them is too fresh to trust.</summary>
    public static void Save(FileDigestMemo digests, string firstLevelKey, string entryKey, ManifestCandidate candidate, CheckoutRoots roots)
    {
        var now = FileStamp.NowNs();
        var text = new StringBuilder().Append(EntryLine).Append('\t').Append(entryKey).Append('\n');
        foreach (var root in roots.Roots)
        {
            text.Append(RootLine).Append('\t').Append(root.Name).Append('\t').Append(root.Path).Append('\n');
        }
        var witnesses = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var input in candidate.Inputs)
        {
            if (input.Path.Length < 2 || roots.Resolve(input.Path[1..]) is not { } path || path.Contains('\n', StringComparison.Ordinal) || path.Contains('\t', StringComparison.Ordinal))
            {
                return;
            }
            if (input.Digest == PathObservation.Absent && digests.Absent.TryGetValue(path, out var vouched))
            {
                // Found absent by this call's match, with the stamp its witness had before the look: a path made since changes that stamp.
                if (!Witness(witnesses, vouched))
                {
                    return;
                }
                continue;
            }
            // The stamp is read before the path is observed again: a change after that gives another stamp than the one kept.
            var exists = FileStamp.TryRead(path, out var stamp);
            if (PathObservation.Observe(input.Path[0], path, digests) != input.Digest)
            {
                return;
            }
            if (!exists)
            {
                if (!digests.Absent.TryGetValue(path, out var witness))
                {
                    text.Append(AbsentLine).Append('\t').Append(path).Append('\n');
                }
                else if (!Witness(witnesses, witness))
                {
                    return;
                }
                continue;
            }
            if (input.Path[0] == PathObservation.Kind)
            {
                // Only the type was observed (a stat of /tmp, say, whose stamp never settles).
                text.Append(TypeLine).Append('\t').Append(path).Append('\t').Append(stamp.Mode & TypeBits).Append('\n');
                continue;
            }
            // A digest is only as new as the stamp it was taken at: that stamp must be the one kept.
            if (!stamp.IsSettled(now) || (input.Path[0] == PathObservation.Content && stamp.IsRegularFile && !(digests.Stamps.TryRead(path, out var hashed) && hashed.SameVersion(stamp))))
            {
                return;
            }
            text.Append(StampLine).Append('\t').Append(path).Append('\t').Append(stamp.VersionText).Append('\n');
        }
        foreach (var (directory, stamp) in witnesses)
        {
            text.Append(WitnessLine).Append('\t').Append(directory).Append('\t').Append(stamp.VersionText).Append('\n');
        }
        foreach (var (name, value) in candidate.EnvDeps)
        {
            if (name.Contains('\n', StringComparison.Ordinal) || name.Contains('\t', StringComparison.Ordinal) || value?.Contains('\n', StringComparison.Ordinal) == true)
            {
                return;
            }
            text.Append(value is null ? $"{UnsetLine}\t{name}\n" : $"{VariableLine}\t{name}\t{value}\n");
        }
        MemoFile.TryWrite(PathFor(digests.MemoDirectory, firstLevelKey), text.ToString());
    }

    // One stamp per witness: two would mean its directory changed between looks, and the earlier look may no longer hold.
    private static bool Witness(Dictionary<string, FileStamp> witnesses, AbsenceWitness witness) =>
        witnesses.TryAdd(witness.Directory, witness.Stamp) || witnesses[witness.Directory].SameVersion(witness.Stamp);

    private static string PathFor(string memoDirectory, string firstLevelKey) => MemoFile.PathFor(Path.Combine(memoDirectory, "lookups"), firstLevelKey);
}
