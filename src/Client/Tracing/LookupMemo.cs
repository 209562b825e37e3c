using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// The entry key a traced lookup settled on, remembered on this machine with the candidate it matched: each input
/// as its checkout-relative path and digest, with the stamp it had when the digest was taken, and the absent paths
/// grouped under the directory that vouched for them. An input whose stamp is unchanged still has its digest; one
/// whose stamp differs (another checkout, a touched file) is observed again and compared, as the full lookup would.
/// While every input matches and each variable has its value, the next lookup goes straight to the entry: no
/// manifest to fetch and parse, no key over thousands of inputs, in this checkout or a fresh one at another path.
/// An entry whose outputs embed the checkout's paths is remembered for the same roots only.
/// </summary>
public static class LookupMemo
{
    private const string Format = "V\t2";
    private const char EntryLine = 'K', RootLine = 'P', InputLine = 'I', WitnessLine = 'W', VariableLine = 'E', UnsetLine = 'U';
    private const string NoStamp = "-";

    /// <summary>The remembered entry key when everything it depended on is as it was; otherwise null.</summary>
    public static string? TryMatch(FileDigestMemo digests, string firstLevelKey, CheckoutRoots roots, Func<string, string?> variable)
    {
        if (MemoFile.TryRead(PathFor(digests.MemoDirectory, firstLevelKey)) is not { } text || !text.StartsWith(Format + "\n", StringComparison.Ordinal))
        {
            return null;
        }
        string? entryKey = null;
        var rootCount = 0;
        foreach (var line in text.AsSpan(Format.Length + 1).EnumerateLines())
        {
            if (line.Length < 2)
            {
                continue;
            }
            var fields = line[2..].ToString().Split('\t');
            var ok = line[0] switch
            {
                EntryLine => (entryKey = fields[0]).Length > 0,
                RootLine => fields.Length == 2 && roots.Get(fields[0])?.Path == fields[1] && ++rootCount > 0,
                InputLine => fields.Length == 3 && InputMatches(fields, digests, roots),
                WitnessLine => fields.Length >= 3 && AbsencesHold(fields, digests, roots),
                VariableLine => fields.Length == 2 && variable(fields[0]) == fields[1],
                UnsetLine => variable(fields[0]) is null,
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }
        return rootCount == 0 || rootCount == roots.Roots.Count ? entryKey : null;
    }

    /// <summary>Remembers a candidate that just matched, with the stamps this call saw; nothing when it cannot be written down faithfully.</summary>
    public static void Save(FileDigestMemo digests, string firstLevelKey, string entryKey, ManifestCandidate candidate, CheckoutRoots roots)
    {
        var now = FileStamp.NowNs();
        var text = new StringBuilder().Append(Format).Append('\n').Append(EntryLine).Append('\t').Append(entryKey).Append('\n');
        if (candidate.PathDependent)
        {
            foreach (var root in roots.Roots)
            {
                text.Append(RootLine).Append('\t').Append(root.Name).Append('\t').Append(root.Path).Append('\n');
            }
        }
        var witnesses = new Dictionary<string, (FileStamp Stamp, List<string> Names)>(StringComparer.Ordinal);
        foreach (var input in candidate.Inputs)
        {
            if (input.Path.Length < 2 || roots.Resolve(input.Path[1..]) is not { } path || !IsPlain(input.Path))
            {
                return;
            }
            if (input.Digest == PathObservation.Absent && digests.Absent.TryGetValue(path, out var vouched) && Witness(witnesses, vouched, path))
            {
                // Found absent by this call's match, with the stamp its witness had before the look: a path made since changes that stamp.
                continue;
            }
            // The stamp is read before the path is observed again: a change after that gives another stamp than the one kept.
            var exists = FileStamp.TryRead(path, out var stamp);
            if (PathObservation.Observe(input.Path[0], path, digests) != input.Digest)
            {
                return;
            }
            if (!exists && digests.Absent.TryGetValue(path, out var witness) && Witness(witnesses, witness, path))
            {
                continue;
            }
            // A digest is only as new as the stamp it was taken at: only that stamp, settled, may stand in for it.
            // Only the type of a looked-up path was observed (a stat of /tmp, say, whose stamp never settles).
            var vouches = exists && input.Path[0] != PathObservation.Kind && stamp.IsSettled(now)
                && !(input.Path[0] == PathObservation.Content && stamp.IsRegularFile && !(digests.Stamps.TryRead(path, out var hashed) && hashed.SameVersion(stamp)));
            text.Append(InputLine).Append('\t').Append(input.Path).Append('\t').Append(input.Digest.ToString()).Append('\t')
                .Append(vouches ? stamp.VersionText : NoStamp).Append('\n');
        }
        foreach (var (directory, (stamp, names)) in witnesses)
        {
            text.Append(WitnessLine).Append('\t').Append(roots.Normalize(directory)).Append('\t').Append(stamp.VersionText).Append('\t').AppendJoin('\t', names).Append('\n');
        }
        foreach (var (name, value) in candidate.EnvDeps)
        {
            if (!IsPlain(name) || (value is not null && !IsPlain(value)))
            {
                return;
            }
            text.Append(value is null ? $"{UnsetLine}\t{name}\n" : $"{VariableLine}\t{name}\t{value}\n");
        }
        MemoFile.TryWrite(PathFor(digests.MemoDirectory, firstLevelKey), text.ToString());
    }

    // "<kind><normalized path>", digest, stamp: the stamp unchanged keeps the digest; otherwise the path is observed again.
    private static bool InputMatches(string[] fields, FileDigestMemo digests, CheckoutRoots roots)
    {
        if (fields[0].Length < 2 || roots.Resolve(fields[0][1..]) is not { } path || !ContentDigest.TryParseText(fields[1], out var digest))
        {
            return false;
        }
        if (fields[2] != NoStamp && FileStamp.TryParseVersion(fields[2], out var kept) && FileStamp.TryRead(path, out var now) && now.SameVersion(kept))
        {
            return true;
        }
        return PathObservation.Observe(fields[0][0], path, digests) == digest;
    }

    // Normalized directory, its stamp, then the absent paths below it: the stamp unchanged keeps them all; otherwise each is looked up.
    private static bool AbsencesHold(string[] fields, FileDigestMemo digests, CheckoutRoots roots)
    {
        if (roots.Resolve(fields[0]) is not { } directory || !FileStamp.TryParseVersion(fields[1], out var kept))
        {
            return false;
        }
        if (FileStamp.TryRead(directory, out var now) && now.SameVersion(kept))
        {
            return true;
        }
        var witness = new AbsenceWitness(directory, kept);
        return fields.Skip(2).All(name => digests.IsAbsent(witness.PathOf(name)));
    }

    // One stamp per witness: two would mean its directory changed between looks, and the earlier look may no longer hold.
    private static bool Witness(Dictionary<string, (FileStamp Stamp, List<string> Names)> witnesses, AbsenceWitness witness, string path)
    {
        if (witness.NameOf(path) is not { } name || !IsPlain(name) || !IsPlain(witness.Directory))
        {
            return false;
        }
        if (!witnesses.TryGetValue(witness.Directory, out var group))
        {
            witnesses[witness.Directory] = group = (witness.Stamp, []);
        }
        if (!group.Stamp.SameVersion(witness.Stamp))
        {
            return false;
        }
        group.Names.Add(name);
        return true;
    }

    private static bool IsPlain(string text) => !text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\t', StringComparison.Ordinal);

    private static string PathFor(string memoDirectory, string firstLevelKey) => MemoFile.PathFor(Path.Combine(memoDirectory, "lookups"), firstLevelKey);
}
