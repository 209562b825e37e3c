using System.Collections.Concurrent;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>
/// The blob manifests the local tier has lately read or written, so that a blob's presence check and its open, or an
/// entry's check of its outputs when written and again when read, cost one log read per blob instead of one each.
/// </summary>
/// <remarks>
/// A remembered manifest is used only while its oldest chunk is live: eviction is FIFO, so the whole blob and its
/// manifest are then still in the log. Writes replace a manifest and drops forget it. When full the cache starts
/// again empty: a forgotten manifest costs only the log read it would have saved.
/// </remarks>
internal sealed class BlobManifestCache(LogCapacity capacity, int maxManifests)
{
    private readonly ConcurrentDictionary<(NamespaceId Ns, ContentDigest Digest), (BlobManifest Manifest, long Address)> _manifests = new();

    public bool TryGet(NamespaceId ns, ContentDigest digest, out BlobManifest manifest, out long address)
    {
        if (_manifests.TryGetValue((ns, digest), out var known))
        {
            if (capacity.IsLive(known.Manifest.OldestChunkAddress))
            {
                (manifest, address) = known;
                return true;
            }
            _manifests.TryRemove((ns, digest), out _);
        }
        (manifest, address) = (default, 0);
        return false;
    }

    public void Remember(NamespaceId ns, ContentDigest digest, BlobManifest manifest, long address)
    {
        if (_manifests.Count >= maxManifests)
        {
            _manifests.Clear();
        }
        _manifests[(ns, digest)] = (manifest, address);
    }

    public void Forget(NamespaceId ns, ContentDigest digest) => _manifests.TryRemove((ns, digest), out _);
}
