using System.Globalization;
using CacheFarm.Client.Reports.Recording;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Reports each wrapped call: a CompileRecord to the daemon (for --show-stats) and a line to CACHEFARM_LOG
/// (outcome, crate, reason, total/compile/read/write µs, key or note, unit = package/crate[/test]).
/// </summary>
public static class CompileReporter
{
    public static async Task ReportAsync(DaemonSession? session, WrapperSettings settings, CompileRecord record, string detail, string unit, ReportContext? context, CancellationToken cancellationToken)
    {
        if (record.Language.Length == 0)
        {
            record.Language = "Rust";
        }
        record.Unit = unit;
        record.UntrustedEntries = session?.UntrustedEntries ?? 0;
        if (context is not null)
        {
            await context.StampAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else if (record.BuildId.Length == 0)
        {
            // Build-script runs and C/C++ compiles join the report of the build around them (cargo, or make for a CMake launcher).
            (record.BuildId, record.BuildCommand) = BuildIdentity.Current(Environment.GetEnvironmentVariable);
            record.StartUnixUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 - record.TotalUs;
        }
        if (settings.LogFile is { } log)
        {
            AppendLog.Write(log, string.Join('\t',
                Name(record.Outcome), record.CrateName, record.Reason,
                record.TotalUs.ToString(CultureInfo.InvariantCulture), record.CompileUs.ToString(CultureInfo.InvariantCulture),
                record.CacheReadUs.ToString(CultureInfo.InvariantCulture), record.CacheWriteUs.ToString(CultureInfo.InvariantCulture),
                detail, unit));
        }
        if (session is not null)
        {
            // Stats are best effort: a daemon that cannot take them must not hold up the build. A bypassed call
            // (CACHEFARM_NO_CACHE) reports to a daemon already running, and never starts one.
            await session.ReportAsync(record, mayStartDaemon: !settings.NoCache, cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Name(CompileOutcome outcome) => outcome switch
    {
        CompileOutcome.Hit => "hit",
        CompileOutcome.Miss => "miss",
        CompileOutcome.NotCacheable => "not-cacheable",
        CompileOutcome.NotCompilation => "not-compilation",
        CompileOutcome.CacheError => "cache-error",
        _ => "unknown",
    };

    public static long Microseconds(TimeSpan span) => (long)span.TotalMicroseconds;
}
