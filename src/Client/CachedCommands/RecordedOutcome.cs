using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CachedCommands;

/// <summary>How a cached command's record is filled in for a hit, and for a miss once its store was tried.</summary>
public static class RecordedOutcome
{
    /// <summary>A hit: what it read, how long the lookup and the whole call took, and the compile time it saved.</summary>
    public static void Hit(CompileRecord record, Entry entry, long bytesRead, TimeSpan lookup, TimeSpan total)
    {
        record.Outcome = CompileOutcome.Hit;
        record.CacheReadUs = CompileReporter.Microseconds(lookup);
        record.SavedUs = entry.Metadata?.CompileDurationUs ?? 0;
        record.BytesRead = bytesRead;
        record.TotalUs = CompileReporter.Microseconds(total);
    }

    /// <summary>A stored miss: a cache error when the daemon failed it otherwise than by refusing the write.</summary>
    public static void StoredMiss(CompileRecord record, DaemonSession session)
    {
        record.Outcome = session.Failure is null || record.CacheWriteFailed ? CompileOutcome.Miss : CompileOutcome.CacheError;
        record.Reason = record.CacheWriteFailed ? session.Failure ?? "" : "";
    }
}
