using System.Collections.Concurrent;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Short-lived memory of which blobs a remote tier holds, so lookups do not cost a request per digest.</summary>
/// <remarks>
/// Absence is remembered for a few seconds only: another daemon may upload the blob at any time,
/// while a present blob rarely disappears (and a read of one that did is just a miss).
/// </remarks>
internal sealed class ExistenceCache(TimeSpan presentFor, TimeProvider time)
{
    private const int MaxEntries = 250_000;
    private static readonly TimeSpan AbsentFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Ns, ContentDigest Digest), (bool Present, long Expires)> _known = new();
    private readonly long _presentTicks = (long)(presentFor.TotalSeconds * time.TimestampFrequency);
    private readonly long _absentTicks = (long)(Math.Min(AbsentFor.TotalSeconds, presentFor.TotalSeconds) * time.TimestampFrequency);

    /// <summary>True or false when known and fresh; null when the tier must be asked.</summary>
    public bool? Lookup(NamespaceId ns, ContentDigest digest)
    {
        if (!_known.TryGetValue((ns.Name, digest), out var known))
        {
            return null;
        }
        if (time.GetTimestamp() < known.Expires)
        {
            return known.Present;
        }
        _known.TryRemove((ns.Name, digest), out _);
        return null;
    }

    public void Record(NamespaceId ns, ContentDigest digest, bool present)
    {
        if (_presentTicks <= 0)
        {
            return;
        }
        if (_known.Count >= MaxEntries)
        {
            // Crude but bounded: forgetting everything costs a burst of lookups, never memory.
            _known.Clear();
        }
        _known[(ns.Name, digest)] = (present, time.GetTimestamp() + (present ? _presentTicks : _absentTicks));
    }

    public void Forget(NamespaceId ns, ContentDigest digest) => _known.TryRemove((ns.Name, digest), out _);
}
