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
    private List<(string Hex, byte[] Key)> _keys = [];
    private HashSet<string> _seen = new(StringComparer.Ordinal);
    private List<(string Hex, byte[] Key)> _previous = [];
    // Counts builds, so a record written while the next build began does not mark that build's keys recorded.
    private int _build;
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
                _previous = _keys;
                _keys = [];
                _seen = new(StringComparer.Ordinal);
                _recorded = 0;
                _build++;
            }
            _lastLookup = now;
            if (_keys.Count < maxKeys && _seen.Add(keyHex))
            {
                _keys.Add((keyHex, key));
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

    /// <summary>The record to write, when the build has noted keys no written record holds; <see cref="MarkRecorded"/> once it is written.</summary>
    public PendingRecord? TakeRecord(int maxKeys)
    {
        lock (_gate)
        {
            if (_keys.Count <= _recorded)
            {
                return null;
            }
            var keys = new List<byte[]>(Math.Min(maxKeys, _keys.Count + _previous.Count));
            keys.AddRange(_keys.Select(k => k.Key));
            foreach (var (hex, key) in _previous)
            {
                if (keys.Count >= maxKeys)
                {
                    break;
                }
                if (!_seen.Contains(hex))
                {
                    keys.Add(key);
                }
            }
            return new PendingRecord(keys, _build, _keys.Count);
        }
    }

    /// <summary>Notes a record written: its build's keys up to then need no record again.</summary>
    public void MarkRecorded(PendingRecord record)
    {
        lock (_gate)
        {
            if (record.Build == _build)
            {
                _recorded = Math.Max(_recorded, record.CurrentBuildKeys);
            }
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

/// <summary>A working set's record about to be written: its keys, and how many of them the build it was taken from had noted.</summary>
internal sealed record PendingRecord(List<byte[]> Keys, int Build, int CurrentBuildKeys);
