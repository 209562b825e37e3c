namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>One working set in one namespace: the keys its current build looked up or stored, in order, and that build's prefetch.</summary>
/// <remarks>
/// A record holds the current build's keys, then the previous build's that this one has not used (up to the limit):
/// a build taken for two, because one compile kept it quiet past the gap, loses nothing, and a key two builds in a
/// row did not use is dropped.
/// </remarks>
internal sealed class WorkingSet(NamespaceId ns, string name)
{
    private readonly Lock _gate = new();
    private List<byte[]> _keys = [];
    private HashSet<string> _seen = new(StringComparer.Ordinal);
    private List<(string Hex, byte[] Key)> _previous = [];
    // Keys of the current build already in a written record: a record is written again only when there are more.
    private int _recorded;
    private long _lastLookup;
    private WorkingSetPrefetch? _prefetch;

    public NamespaceId Namespace => ns;

    public string Name => name;

    public byte[] RecordKey { get; } = WorkingSetRecord.KeyOf(name);

    /// <summary>Notes a key the build looked up or stored; true when it starts a new build (the first, or the first after the last went quiet).</summary>
    public bool Note(string keyHex, byte[] key, long now, long buildGap, int maxKeys)
    {
        lock (_gate)
        {
            var newBuild = _lastLookup == 0 || now - _lastLookup >= buildGap;
            if (newBuild && _keys.Count > 0)
            {
                _previous = [.. _keys.Select(k => (Convert.ToHexStringLower(k), k))];
                _keys = [];
                _seen = new(StringComparer.Ordinal);
                _recorded = 0;
            }
            _lastLookup = now;
            if (_keys.Count < maxKeys && _seen.Add(keyHex))
            {
                _keys.Add(key);
            }
            return newBuild;
        }
    }

    /// <summary>True when the current build has looked the key up itself, so prefetching it would only repeat that.</summary>
    public bool HasSeen(string keyHex)
    {
        lock (_gate)
        {
            return _seen.Contains(keyHex);
        }
    }

    /// <summary>The time of the last lookup, in <see cref="TimeProvider"/> timestamps.</summary>
    public long LastLookup
    {
        get
        {
            lock (_gate)
            {
                return _lastLookup;
            }
        }
    }

    /// <summary>The keys to record, when the build has noted keys no written record holds; marks them recorded.</summary>
    public List<byte[]>? TakeRecord(int maxKeys)
    {
        lock (_gate)
        {
            if (_keys.Count <= _recorded)
            {
                return null;
            }
            _recorded = _keys.Count;
            var record = new List<byte[]>(_keys);
            foreach (var (hex, key) in _previous)
            {
                if (record.Count >= maxKeys)
                {
                    break;
                }
                if (!_seen.Contains(hex))
                {
                    record.Add(key);
                }
            }
            return record;
        }
    }

    /// <summary>Installs the build's prefetch and returns the previous build's, which the caller ends.</summary>
    public WorkingSetPrefetch? ReplacePrefetch(WorkingSetPrefetch? prefetch)
    {
        lock (_gate)
        {
            var previous = _prefetch;
            _prefetch = prefetch;
            return previous;
        }
    }
}
