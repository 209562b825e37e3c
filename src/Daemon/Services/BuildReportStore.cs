using CacheFarm.Daemon.Storage.Builds;
using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>
/// The compile records of the most recent builds, grouped by build id: at most <see cref="MaxBuilds"/> builds
/// of at most <see cref="MaxRecordsPerBuild"/> records each, loaded from and saved to <see cref="BuildReportFiles"/>.
/// </summary>
public sealed class BuildReportStore
{
    public const int MaxBuilds = 50;
    public const int MaxRecordsPerBuild = 20_000;

    // A record carries names and paths, never outputs; anything larger is not a wrapper's record.
    private const int MaxRecordBytes = 16 << 10;

    private readonly object _gate = new();
    private readonly BuildReportFiles _files;
    private readonly List<StoredBuild> _builds = [];
    private long _nextSequence;

    public BuildReportStore(BuildReportFiles files)
    {
        _files = files;
        foreach (var (sequence, report) in files.LoadAll().TakeLast(MaxBuilds))
        {
            _builds.Add(new StoredBuild(sequence, report));
        }
        _nextSequence = _builds.Count == 0 ? 1 : _builds[^1].Sequence + 1;
    }

    /// <summary>Adds a record to its build (starting a new build, and evicting the oldest, on a new id).</summary>
    public void Record(CompileRecord record)
    {
        if (string.IsNullOrEmpty(record.BuildId))
        {
            return;
        }
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var build = _builds.FindLast(b => b.Report.BuildId == record.BuildId);
            if (build is null)
            {
                build = new StoredBuild(_nextSequence++, new BuildReport { BuildId = record.BuildId, FirstUnixMs = nowMs });
                _builds.Add(build);
                if (_builds.Count > MaxBuilds)
                {
                    _builds.RemoveRange(0, _builds.Count - MaxBuilds);
                }
            }
            var report = build.Report;
            report.LastUnixMs = nowMs;
            if (report.Command.Length == 0)
            {
                report.Command = record.BuildCommand;
            }
            if (report.Records.Count >= MaxRecordsPerBuild || record.CalculateSize() > MaxRecordBytes)
            {
                report.DroppedRecords++;
            }
            else
            {
                var kept = record.Clone();
                // The command is kept once per build, not once per record.
                kept.BuildCommand = "";
                report.Records.Add(kept);
            }
            build.Dirty = true;
        }
    }

    /// <summary>The <paramref name="limit"/> most recent builds whose id starts with <paramref name="idPrefix"/>, oldest first.</summary>
    public BuildReports Recent(int limit, string idPrefix)
    {
        var result = new BuildReports();
        lock (_gate)
        {
            var matching = _builds.Where(b => b.Report.BuildId.StartsWith(idPrefix, StringComparison.Ordinal)).ToList();
            result.Builds.AddRange(matching.Skip(Math.Max(0, matching.Count - Math.Clamp(limit, 1, MaxBuilds))).Select(b => b.Report.Clone()));
        }
        return result;
    }

    /// <summary>Writes builds changed since the last flush and removes evicted ones from disk.</summary>
    public void Flush()
    {
        List<(long Sequence, BuildReport Report)> changed;
        lock (_gate)
        {
            changed = [.. _builds.Where(b => b.Dirty).Select(b => (b.Sequence, b.Report.Clone()))];
            foreach (var build in _builds)
            {
                build.Dirty = false;
            }
        }
        foreach (var (sequence, report) in changed)
        {
            _files.Save(sequence, report);
        }
        long oldestKept;
        lock (_gate)
        {
            oldestKept = _builds.Count == 0 ? _nextSequence : _builds[0].Sequence;
        }
        foreach (var sequence in _files.Sequences().Where(s => s < oldestKept))
        {
            _files.Delete(sequence);
        }
    }

    private sealed class StoredBuild(long sequence, BuildReport report)
    {
        public long Sequence { get; } = sequence;

        public BuildReport Report { get; } = report;

        public bool Dirty { get; set; }
    }
}
