using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// Turns a trace into a manifest candidate (the inputs a run really had, each as observation kind + normalised
/// path, and the variables it read) and checks a stored candidate against this machine. Accesses to what the
/// run wrote itself, and to paths that are no input (see <see cref="IsIgnored"/>), are left out. Directories
/// under <c>unlistedTrees</c> (a build's target directory, which fills up while the build runs, in an order
/// that varies between builds) are keyed by existence when listed; the files read from them keep their content.
/// </summary>
public sealed class TracedInputs(CheckoutRoots roots, FileDigestMemo digests, IReadOnlyList<string> ignoredTrees, IReadOnlyList<string> unlistedTrees)
{
    // The kernel's views and devices are no files; anything a program keeps there changes per run.
    private static readonly string[] SystemTrees = ["/proc", "/sys", "/dev", "/run"];

    /// <summary>The digests inputs are observed through.</summary>
    public FileDigestMemo Digests => digests;

    public bool IsIgnored(string path) =>
        SystemTrees.Any(t => IsUnder(path, t)) || ignoredTrees.Any(t => IsUnder(path, t));

    /// <summary>The inputs of a traced run, with the variables it read (already filtered by the caller).</summary>
    public ManifestCandidate Candidate(TraceLog log, IEnumerable<KeyValuePair<string, string?>> variables, bool pathDependent)
    {
        var observed = new SortedDictionary<string, char>(StringComparer.Ordinal);
        void Add(IEnumerable<string> paths, char what)
        {
            foreach (var path in paths.Where(p => !log.Written.Contains(p) && !IsIgnored(p)))
            {
                // Content says more than a listing, a listing more than existence.
                if (!observed.TryGetValue(path, out var known) || Rank(what) > Rank(known))
                {
                    observed[path] = what;
                }
            }
        }
        Add(log.Read, PathObservation.Content);
        Add(log.Executed, PathObservation.Content);
        Add(log.Listed.Where(p => !unlistedTrees.Any(t => IsUnder(p, t))), PathObservation.Listing);
        Add(log.Listed.Where(p => unlistedTrees.Any(t => IsUnder(p, t))), PathObservation.Kind);
        Add(log.LookedUp, PathObservation.Kind);
        Add(log.Absent, PathObservation.Kind);
        var inputs = observed.Select(o => new ManifestInput(o.Value + roots.Normalize(o.Key), PathObservation.Observe(o.Value, o.Key, digests))).ToList();
        return new ManifestCandidate(inputs, [.. variables.OrderBy(v => v.Key, StringComparer.Ordinal)], pathDependent);
    }

    /// <summary>Null when every input of <paramref name="candidate"/> is as it was and every variable has its value; else the first that is not.</summary>
    public string? Mismatch(ManifestCandidate candidate, Func<string, string?> variable)
    {
        foreach (var (name, value) in candidate.EnvDeps)
        {
            if (variable(name) != value)
            {
                return "variable " + name;
            }
        }
        foreach (var input in candidate.Inputs)
        {
            if (input.Path.Length < 2 || roots.Resolve(input.Path[1..]) is not { } path
                || PathObservation.Observe(input.Path[0], path, digests) != input.Digest)
            {
                return "input " + input.Path.Replace('\u0001', '$');
            }
        }
        return null;
    }

    /// <summary>An input file written after <paramref name="sinceNs"/>: the run may have seen another version.</summary>
    public string? ChangedSince(TraceLog log, long sinceNs) =>
        log.Read.FirstOrDefault(p => !log.Written.Contains(p) && !IsIgnored(p) && FileStamp.TryRead(p, out var stamp) && stamp.IsRegularFile && stamp.WrittenSince(sinceNs));

    private static int Rank(char what) => what switch
    {
        PathObservation.Content => 2,
        PathObservation.Listing => 1,
        _ => 0,
    };

    public static bool IsUnder(string path, string tree) =>
        path.StartsWith(tree, StringComparison.Ordinal) && (path.Length == tree.Length || path[tree.Length] == '/');
}
