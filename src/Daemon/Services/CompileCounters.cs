using CacheFarm.Protos.V1;

namespace CacheFarm.Daemon.Services;

/// <summary>Aggregates the compile records clients send into sccache-style counters (and hands each to the build reports).</summary>
public sealed class CompileCounters(BuildReportStore builds)
{
    private readonly object _gate = new();
    private CompileStats _stats = new();

    public void Record(CompileRecord record)
    {
        // Every record passes here, whichever way it came (gRPC or the fast path), so the build reports see them all.
        builds.Record(record);
        var language = string.IsNullOrEmpty(record.Language) ? "Rust" : record.Language;
        lock (_gate)
        {
            var s = _stats;
            switch (record.Outcome)
            {
                case CompileOutcome.NotCompilation:
                    s.NonCompilationCalls++;
                    return;
                case CompileOutcome.NotCacheable:
                    s.CompileRequests++;
                    s.RequestsExecuted++;
                    s.NonCacheableCalls++;
                    Increment(s.NonCacheableReasons, string.IsNullOrEmpty(record.Reason) ? "unknown" : record.Reason);
                    break;
                case CompileOutcome.Hit:
                    s.CompileRequests++;
                    s.CacheHits++;
                    s.TotalCacheReadHitUs += record.CacheReadUs;
                    s.TotalSavedUs += record.SavedUs;
                    Increment(s.HitsByLanguage, language);
                    Increment(s.HitsByTier, string.IsNullOrEmpty(record.HitTier) ? "local" : record.HitTier);
                    break;
                case CompileOutcome.Miss:
                    s.CompileRequests++;
                    s.RequestsExecuted++;
                    s.CacheMisses++;
                    Increment(s.MissesByLanguage, language);
                    break;
                case CompileOutcome.CacheError:
                    s.CompileRequests++;
                    s.RequestsExecuted++;
                    s.CacheErrors++;
                    s.CacheReadErrors += record.CacheTimedOut ? 0 : 1;
                    break;
                default:
                    return;
            }
            s.CacheTimeouts += record.CacheTimedOut ? 1 : 0;
            s.ForcedRecaches += record.ForcedRecache ? 1 : 0;
            s.CompilationFailures += record.CompileFailed ? 1 : 0;
            s.CacheWriteErrors += record.CacheWriteFailed ? 1 : 0;
            s.ReadOnlySkips += record.ReadOnly ? 1 : 0;
            s.UntrustedEntries += record.UntrustedEntries;
            s.TotalCompileUs += record.CompileUs;
            if (record.CacheWriteUs > 0)
            {
                s.CacheWrites++;
                s.TotalCacheWriteUs += record.CacheWriteUs;
            }
        }
    }

    public CompileStats Snapshot()
    {
        lock (_gate)
        {
            return _stats.Clone();
        }
    }

    public void Zero()
    {
        lock (_gate)
        {
            _stats = new CompileStats();
        }
    }

    private static void Increment(Google.Protobuf.Collections.MapField<string, long> map, string key) =>
        map[key] = map.TryGetValue(key, out var n) ? n + 1 : 1;
}
