using System.Text;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Protos.Manifests;

/// <summary>
/// The list of input-file candidates recorded under a first-level key (newest first, at most
/// <see cref="MaxCandidates"/>), stored as the stdout of a pseudo-entry. A lookup re-hashes a candidate's
/// files, and when all match, the entry key follows from them without running rustc.
/// </summary>
public sealed class InputManifest
{
    public const int MaxCandidates = 8;

    /// <summary>Written as the entry's tool so a manifest is never mistaken for compile outputs.</summary>
    public const string Tool = "cachefarm-manifest/1";

    private static readonly byte[] Magic = "CFM1"u8.ToArray();

    public InputManifest(IReadOnlyList<ManifestCandidate> candidates) => Candidates = candidates;

    public IReadOnlyList<ManifestCandidate> Candidates { get; }

    /// <summary>A manifest with <paramref name="candidate"/> first and any equal older candidate dropped.</summary>
    public InputManifest With(ManifestCandidate candidate) =>
        new([candidate, .. Candidates.Where(c => !c.SameInputs(candidate)).Take(MaxCandidates - 1)]);

    /// <summary>
    /// This manifest's candidates, then those of <paramref name="stored"/> it lacks, bounded: what a write
    /// leaves behind when another build stored its own candidate since this one was read.
    /// </summary>
    public InputManifest MergedOver(InputManifest stored) =>
        new([.. Candidates.Concat(stored.Candidates.Where(s => !Candidates.Any(c => c.SameInputs(s)))).Take(MaxCandidates)]);

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Candidates.Count);
            foreach (var candidate in Candidates)
            {
                w.Write(candidate.PathDependent);
                w.Write(candidate.Inputs.Count);
                foreach (var input in candidate.Inputs)
                {
                    w.Write(input.Path);
                    w.Write(input.Digest.Hash);
                    w.Write(input.Digest.Size);
                }
                w.Write(candidate.EnvDeps.Count);
                foreach (var (name, value) in candidate.EnvDeps)
                {
                    w.Write(name);
                    w.Write(value is not null);
                    w.Write(value ?? "");
                }
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a serialised manifest; an unreadable one is treated as empty.</summary>
    public static InputManifest Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length || !data[..Magic.Length].SequenceEqual(Magic))
        {
            return new InputManifest([]);
        }
        try
        {
            using var r = new BinaryReader(new MemoryStream(data[Magic.Length..].ToArray()), Encoding.UTF8);
            var candidates = new List<ManifestCandidate>();
            for (var count = r.ReadInt32(); count > 0; count--)
            {
                var pathDependent = r.ReadBoolean();
                var inputs = new List<ManifestInput>();
                for (var n = r.ReadInt32(); n > 0; n--)
                {
                    var path = r.ReadString();
                    var hash = r.ReadBytes(ContentDigest.HashBytes);
                    inputs.Add(new ManifestInput(path, ContentDigest.FromHash(hash, r.ReadInt64())));
                }
                var envDeps = new List<KeyValuePair<string, string?>>();
                for (var n = r.ReadInt32(); n > 0; n--)
                {
                    var name = r.ReadString();
                    var set = r.ReadBoolean();
                    var value = r.ReadString();
                    envDeps.Add(new(name, set ? value : null));
                }
                candidates.Add(new ManifestCandidate(inputs, envDeps, pathDependent));
            }
            return new InputManifest(candidates);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            return new InputManifest([]);
        }
    }
}
