using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Tracing;

/// <summary>
/// What a traced lookup found: the manifest a miss extends, the entry on a hit with the candidate it matched (none
/// when the lookup memo answered), and a note for the log (the entry key, or why a stored candidate did not serve).
/// </summary>
public sealed record TracedLookupResult(InputManifest Manifest, Entry? Hit, string? Note)
{
    public ManifestCandidate? Candidate { get; init; }
}
