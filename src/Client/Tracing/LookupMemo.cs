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
    private const char EntryLine = 'K', RootCountLine = 'R', RootLine = 'P', InputLine = 'I', WitnessLine = 'W', VariableLine = 'E', UnsetLine = 'U';
    private const string NoStamp = "-";

    /// <summary>The remembered entry key when everything it depended on is as it was; otherwise null.</summary>
    public static string? TryMatch(FileDigestMemo digests, string firstLevelKey, CheckoutRoots roots, Func<string, string?> variable)
    {
        if (MemoFile.TryReadWhole(PathFor(digests.MemoDirectory, firstLevelKey)) is not { } text || !text.StartsWith(Format + "\n", StringComparison.Ordinal))
        {
            return null;
        }
        string? entryKey = null;
        int? rootsKept = null;
        var rootCount = 0;
        // Split on newlines alone: the writer rules out only those (and tabs), so a carriage return is part of a value.
        foreach (var line in text[(Format.Length + 1)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length < 2)
            {
                return null;
            }
            var fields = line[2..].Split('\t');
            var ok = line[0] switch
            {
                EntryLine => (entryKey = fields[0]).Length > 0,
                RootCountLine => int.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var count) && (rootsKept = count) == roots.Roots.Count,
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
        return rootsKept is null || rootCount == rootsKept ? entryKey : null;
    }

    /// <summary>Remembers a candidate that just matched, with the stamps this call saw; nothing when it cannot be written down faithfully.</summary>
    public static void Save(FileDigestMemo digests, string firstLevelKey, string entryKey, ManifestCandidate candidate, CheckoutRoots roots)
    {
        var now = FileStamp.NowNs();
        var text = new StringBuilder().Append(Format).Append('\n').Append(EntryLine).Append('\t').Append(entryKey).Append('\n');
        if (candidate.PathDependent)
        {
            text.Append(RootCountLine).Append('\t').Append(roots.Roots.Count).Append('\n');
            foreach (var root in roots.Roots)
            {
                text.Append(RootLine).Append('\t').Append(root.Name).Append('\t').Append(root.Path).Append('\n');
            }
        }
        var witnesses = new Dictionary<string, (FileStamp Stamp, List<string> Names)>(StringComparer.Ordinal);
        foreach (var input in candidate.Inputs)
        {
            if (input.Path.Length < 2 || roots.Resolve(input.Path[1..]) is not { } path || !MemoFile.FitsInLine(input.Path))
            {
                return;
            }
            // Found absent by this call's match, with the stamp its witness had before the look: a path made since changes that stamp.
            bool Vouched() => input.Digest == PathObservation.Absent && digests.Absent.TryGetValue(path, out var witness) && Witness(witnesses, witness, path, roots);
            if (Vouched())
            {
                continue;
            }
            // The stamp is read before the path is observed again: a change after that gives another stamp than the one kept.
            var exists = FileStamp.TryRead(path, out var stamp);
            if (PathObservation.Observe(input.Path[0], path, digests) != input.Digest)
            {
                return;
            }
            if (!exists && Vouched())
            {
                continue;
            }
            // A digest stands for its file only at the stamp it was taken at, settled then; a listing or a type is observed again.
            var vouches = exists && stamp.IsSettled(now) && input.Path[0] switch
            {
                PathObservation.Kind => false,
                PathObservation.Content when stamp.IsRegularFile => digests.IsSettled(path, stamp),
                _ => true,
            };
            text.Append(InputLine).Append('\t').Append(input.Path).Append('\t').Append(input.Digest.ToString()).Append('\t')
                .Append(vouches ? stamp.VersionText : NoStamp).Append('\n');
        }
        foreach (var (directory, (stamp, names)) in witnesses)
        {
            text.Append(WitnessLine).Append('\t').Append(roots.Normalize(directory)).Append('\t').Append(stamp.VersionText).Append('\t').AppendJoin('\t', names).Append('\n');
        }
        foreach (var (name, value) in candidate.EnvDeps)
        {
            if (!MemoFile.FitsInLine(name) || (value is not null && !MemoFile.FitsInLine(value)))
            {
                return;
            }
            text.Append(value is null ? $"{UnsetLine}\t{name}\n" : $"{VariableLine}\t{name}\t{value}\n");
        }
        MemoFile.TryWriteWhole(PathFor(digests.MemoDirectory, firstLevelKey), text.ToString());
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

    // Groups an absence under its witness, when the pair can be written down: the names are relative to the witness, so
    // path and witness must lie under the same root (or none), or another checkout would check the wrong path. One stamp
    // per witness: two mean its directory changed between looks, and the older one would never match again.
    private static bool Witness(Dictionary<string, (FileStamp Stamp, List<string> Names)> witnesses, AbsenceWitness witness, string path, CheckoutRoots roots)
    {
        if (witness.NameOf(path) is not { } name || !MemoFile.FitsInLine(name) || !MemoFile.FitsInLine(witness.Directory) || roots.Find(path) != roots.Find(witness.Directory))
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

    private static string PathFor(string memoDirectory, string firstLevelKey) => MemoFile.PathFor(Path.Combine(memoDirectory, "lookups"), firstLevelKey);
}
