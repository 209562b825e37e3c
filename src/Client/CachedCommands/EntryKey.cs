using CacheFarm.Client.Rustc;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The second-level key an entry is stored under: the first-level key plus one candidate's input digests and
/// environment values, plus the real checkout roots when the outputs embed them.
/// </summary>
public static class EntryKey
{
    public static string Compute(string firstLevelKey, ManifestCandidate candidate, CheckoutRoots roots)
    {
        using var key = new CacheKeyBuilder();
        key.Add("format", FirstLevelKey.FormatVersion + "/entry").Add("first", firstLevelKey);
        foreach (var input in candidate.Inputs.OrderBy(i => i.Path, StringComparer.Ordinal))
        {
            key.Add("input " + input.Path, input.Digest.ToString());
        }
        foreach (var (name, value) in candidate.EnvDeps.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            key.Add("env-dep " + name, value);
        }
        if (candidate.PathDependent)
        {
            foreach (var root in roots.Roots.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                key.Add("root " + root.Name, root.Path);
            }
        }
        return key.Finish();
    }
}
