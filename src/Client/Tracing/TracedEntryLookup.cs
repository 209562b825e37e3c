using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// The lookup of a traced command (a build-script run, a C or C++ compile): the first-level key names a manifest
/// of traced candidates; the first whose inputs and variables all match this machine gives the entry key. The
/// key this machine settled on last is tried first, while nothing it depended on changed (<see cref="LookupMemo"/>).
/// </summary>
public static class TracedEntryLookup
{
    /// <summary>Looks the command up; <paramref name="needsCandidate"/> skips the lookup memo, which knows the entry but not the candidate.</summary>
    public static async Task<TracedLookupResult> RunAsync(
        DaemonSession session, WrapperSettings settings, string firstLevelKey, TracedInputs inputs, CheckoutRoots roots, Func<string, string?> variable, bool needsCandidate, CancellationToken cancellationToken)
    {
        if (!needsCandidate && LookupMemo.TryMatch(inputs.Digests, firstLevelKey, roots, variable) is { } remembered
            && await FetchAsync(session, settings, remembered, mayStartDaemon: true, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return new TracedLookupResult(new InputManifest([]), known, remembered);
        }
        var manifestCall = session.TryCallAsync((c, ct) => c.GetEntryAsync(firstLevelKey, ct), settings.LookupTimeout, mayStartDaemon: true, cancellationToken);
        // The full lookup hashes what no memo knows (a fresh checkout's headers) and a key over thousands of inputs:
        // the platform's SHA-256 is some ten times faster than the managed one, and loads while the manifest comes.
        Sha256Accumulator.PreparePlatform();
        var (ok, manifestEntry) = await manifestCall.ConfigureAwait(false);
        if (!ok || manifestEntry is null || manifestEntry.Metadata?.Tool != InputManifest.Tool)
        {
            return new TracedLookupResult(new InputManifest([]), null, null);
        }
        var manifest = InputManifest.Parse(manifestEntry.Stdout.Span);
        DigestBundle.LoadInto(inputs.Digests, firstLevelKey);
        var candidate = manifest.Candidates.FirstOrDefault(c => inputs.Mismatch(c, variable) is null);
        if (candidate is not null)
        {
            DigestBundle.SaveIfNew(inputs.Digests, firstLevelKey);
        }
        if (candidate is null)
        {
            // The newest candidate's first difference tells the log why this run misses.
            return new TracedLookupResult(manifest, null, manifest.Candidates.Count > 0 ? "changed " + inputs.Mismatch(manifest.Candidates[0], variable) : null);
        }
        var entryKey = EntryKey.Compute(firstLevelKey, candidate, roots);
        var hit = await FetchAsync(session, settings, entryKey, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
        if (hit is not null)
        {
            LookupMemo.Save(inputs.Digests, firstLevelKey, entryKey, candidate, roots);
        }
        return new TracedLookupResult(manifest, hit, hit is null && candidate.PathDependent ? "outputs embed another checkout's paths" : entryKey) { Candidate = candidate };
    }

    private static async Task<Entry?> FetchAsync(DaemonSession session, WrapperSettings settings, string entryKey, bool mayStartDaemon, CancellationToken cancellationToken)
    {
        var (found, entry) = await session.TryCallAsync((c, ct) => c.GetEntryAsync(entryKey, ct), settings.LookupTimeout, mayStartDaemon, cancellationToken).ConfigureAwait(false);
        return found && entry is { Metadata.Tool: not InputManifest.Tool } ? entry : null;
    }
}
