using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// Two-level lookup: the first-level key names a manifest; the first candidate whose files and environment
/// match gives the entry key. The manifest this machine saw last is tried first (no round trip); only when
/// the daemon's manifest exists and nothing in it matches does it fall back to a dep-info pass.
/// </summary>
public static class EntryLookup
{
    public static async Task<LookupResult?> RunAsync(DaemonSession session, WrapperSettings settings, RustcCall call, string firstLevelKey, InputDigestMemo inputMemo, string scratchDirectory, CancellationToken cancellationToken)
    {
        var inputs = new InputFiles(call, inputMemo);
        if (ManifestMemo.TryLoad(call.MemoDirectory, firstLevelKey) is { } remembered && inputs.FindMatch(remembered) is { } known)
        {
            var fast = await FetchEntryAsync(session, settings, call, firstLevelKey, known, remembered, false, mayStartDaemon: true, cancellationToken).ConfigureAwait(false);
            if (fast?.Hit is not null || !session.IsUsable)
            {
                return fast;
            }
        }
        var (ok, manifestEntry) = await session.TryCallAsync((c, ct) => c.GetEntryAsync(firstLevelKey, ct), settings.LookupTimeout, mayStartDaemon: true, cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            return null;
        }
        if (manifestEntry is null || manifestEntry.Metadata?.Tool != InputManifest.Tool)
        {
            return new LookupResult(null, null, new InputManifest([]), false);
        }
        var manifest = InputManifest.Parse(manifestEntry.Stdout.Span);
        ManifestMemo.Save(call.MemoDirectory, firstLevelKey, manifestEntry.Stdout.Span);
        var candidate = inputs.FindMatch(manifest);
        var usedPass = false;
        if (candidate is null && manifest.Candidates.Count > 0)
        {
            usedPass = true;
            var passStart = FileStamp.NowNs();
            if (await DepInfoPass.RunAsync(call, scratchDirectory, cancellationToken).ConfigureAwait(false) is { } depInfo)
            {
                // Whether outputs embed checkout paths is a property of the crate: take it from the newest candidate.
                candidate = inputs.CandidateFrom(depInfo, passStart, manifest.Candidates[0].PathDependent);
            }
        }
        if (candidate is null)
        {
            return new LookupResult(null, null, manifest, usedPass);
        }
        return await FetchEntryAsync(session, settings, call, firstLevelKey, candidate, manifest, usedPass, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LookupResult?> FetchEntryAsync(
        DaemonSession session, WrapperSettings settings, RustcCall call, string firstLevelKey, ManifestCandidate candidate, InputManifest manifest, bool usedPass, bool mayStartDaemon, CancellationToken cancellationToken)
    {
        var entryKey = EntryKey.Compute(firstLevelKey, candidate, call.Roots);
        var (found, entry) = await session.TryCallAsync((c, ct) => c.GetEntryAsync(entryKey, ct), settings.LookupTimeout, mayStartDaemon, cancellationToken).ConfigureAwait(false);
        if (!found)
        {
            return null;
        }
        return new LookupResult(entry is { Metadata.Tool: not InputManifest.Tool } ? entry : null, entryKey, manifest, usedPass);
    }
}
