using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// A crate's input files and environment dependencies: turns what rustc's dep-info lists into a manifest
/// candidate, and finds the recorded candidate that matches the checkout now. Digests go through the crate's
/// <see cref="InputDigestMemo"/>, so unchanged files cost a stat.
/// </summary>
public sealed class InputFiles(RustcCall call, InputDigestMemo memo)
{
    private readonly Dictionary<string, ContentDigest?> _digests = new(StringComparer.Ordinal);

    /// <summary>The candidate for a compile that just finished; null when an input is gone or changed while rustc ran.</summary>
    public ManifestCandidate? CandidateFrom(DepInfoFile depInfo, long compileStartNs, bool pathDependent)
    {
        var inputs = new List<ManifestInput>(depInfo.Files.Count);
        foreach (var file in depInfo.Files)
        {
            var resolved = CheckoutRoots.Absolute(file, call.WorkingDirectory);
            // A fresh stamp: the file may have changed while rustc ran, and then its digest is not the one rustc read.
            if (!FileStamp.TryRead(resolved, out var stamp) || stamp.ChangedSince(compileStartNs) || Digest(resolved, stamp) is not { } digest)
            {
                return null;
            }
            inputs.Add(new ManifestInput(call.Roots.Normalize(file), digest));
        }
        var envDeps = depInfo.EnvDeps
            .Select(e => new KeyValuePair<string, string?>(e.Key, NormalizeValue(e.Value)))
            .ToList();
        memo.SaveIfChanged();
        return new ManifestCandidate(inputs, envDeps, pathDependent);
    }

    /// <summary>The newest candidate whose environment values and file digests all match now, or null.</summary>
    public ManifestCandidate? FindMatch(InputManifest manifest)
    {
        try
        {
            foreach (var candidate in manifest.Candidates)
            {
                if (candidate.EnvDeps.All(e => NormalizeValue(call.Env(e.Key)) == e.Value) && candidate.Inputs.All(Matches))
                {
                    return candidate;
                }
            }
            return null;
        }
        finally
        {
            memo.SaveIfChanged();
        }
    }

    private bool Matches(ManifestInput input) =>
        call.Roots.Resolve(input.Path) is { } path && call.Stamps.TryRead(path, out var stamp) && Digest(path, stamp) is { } digest && digest == input.Digest;

    private ContentDigest? Digest(string path, FileStamp stamp)
    {
        if (_digests.TryGetValue(path, out var known))
        {
            return known;
        }
        ContentDigest? digest = null;
        if (stamp.IsRegularFile)
        {
            if (memo.TryGet(path, stamp, out var remembered))
            {
                digest = remembered.Digest;
            }
            else
            {
                digest = FileContentHash.Compute(path);
                if (FileStamp.TryRead(path, out var after) && after.SameVersion(stamp))
                {
                    memo.Record(path, new MemoizedDigest(stamp, digest.Value));
                }
            }
        }
        _digests[path] = digest;
        return digest;
    }

    private string? NormalizeValue(string? value) =>
        value is null ? null : Encoding.UTF8.GetString(call.Roots.NormalizeText(Encoding.UTF8.GetBytes(value)));
}
