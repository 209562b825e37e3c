using System.Globalization;
using System.Text;
using System.Text.Json;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Admin;

/// <summary>Renders daemon stats as sccache renders its own: the same field names and order, then CacheFarm's extras.</summary>
public static class StatsFormatter
{
    private const int LabelWidth = 33;
    private const int NumberWidth = 6;

    public static string Text(Stats stats, string location)
    {
        var c = stats.Compiles ?? new CompileStats();
        var sb = new StringBuilder();
        Line(sb, "Compile requests", c.CompileRequests);
        Line(sb, "Compile requests executed", c.RequestsExecuted);
        Line(sb, "Cache hits", c.CacheHits);
        foreach (var (language, hits) in c.HitsByLanguage.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Line(sb, $"Cache hits ({language})", hits);
        }
        Line(sb, "Cache misses", c.CacheMisses);
        foreach (var (language, misses) in c.MissesByLanguage.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Line(sb, $"Cache misses ({language})", misses);
        }
        Line(sb, "Cache hits rate", HitRate(c));
        Line(sb, "Cache timeouts", c.CacheTimeouts);
        Line(sb, "Cache read errors", c.CacheReadErrors);
        Line(sb, "Forced recaches", c.ForcedRecaches);
        Line(sb, "Cache write errors", WriteErrors(stats));
        Line(sb, "Writes skipped (read-only token)", c.ReadOnlySkips);
        Line(sb, "Entries rejected (bad signature)", c.UntrustedEntries);
        Line(sb, "Compilation failures", c.CompilationFailures);
        Line(sb, "Cache errors", c.CacheErrors);
        Line(sb, "Non-cacheable compilations", c.NonCacheableCompilations);
        Line(sb, "Non-cacheable calls", c.NonCacheableCalls);
        Line(sb, "Non-compilation calls", c.NonCompilationCalls);
        Line(sb, "Unsupported compiler calls", 0);
        Line(sb, "Average cache write", Seconds(c.TotalCacheWriteUs, c.CacheWrites));
        Line(sb, "Average compiler", Seconds(c.TotalCompileUs, c.RequestsExecuted));
        Line(sb, "Average cache read hit", Seconds(c.TotalCacheReadHitUs, c.CacheHits));
        Line(sb, "Failed distributed compilations", 0);
        Line(sb, "Time saved by hits", Seconds(c.TotalSavedUs, 1));
        if (c.NonCacheableReasons.Count > 0)
        {
            sb.AppendLine().AppendLine("Non-cacheable reasons:");
            foreach (var (reason, count) in c.NonCacheableReasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Line(sb, reason, count);
            }
        }
        if (c.HitsByTier.Count > 0)
        {
            sb.AppendLine().AppendLine("Hits by tier:");
            foreach (var (tier, hits) in c.HitsByTier.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Line(sb, tier, hits);
            }
        }
        sb.AppendLine();
        Line(sb, "Cache location", location);
        foreach (var tier in stats.Tiers)
        {
            var remote = tier.Name != "local";
            Line(sb, $"Tier {tier.Name}", $"{tier.Health}, {tier.Mode}");
            // Remote tiers do not report their size cheaply (S3 has no such call).
            Line(sb, $"  size", remote && tier.CapacityBytes == 0 ? "unknown" : $"{Size(tier.SizeBytes)} of {Size(tier.CapacityBytes)}");
            Line(sb, $"  hits / misses (blobs)", $"{tier.BlobHits} / {tier.BlobMisses}");
            Line(sb, $"  hits / misses (entries)", $"{tier.EntryHits} / {tier.EntryMisses}");
            if (remote)
            {
                Line(sb, $"  writes / pending / dropped", $"{tier.Writes} / {tier.PendingWrites} / {tier.DroppedWrites}");
                Line(sb, $"  deduplicated writes", $"{tier.DeduplicatedWrites}");
                Line(sb, $"  requests / timeouts / skipped", $"{tier.Requests} / {tier.Timeouts} / {tier.SkippedRequests}");
                Line(sb, $"  breaker opens", $"{tier.BreakerOpens}");
            }
            else
            {
                Line(sb, $"  evictions", $"{tier.Evictions} ({Size(tier.EvictedBytes)})");
            }
            Line(sb, $"  backfills", $"{tier.Backfills}");
            Line(sb, $"  errors / corrupt reads", $"{tier.Errors} / {tier.CorruptReads}");
        }
        if (stats.Prefetch is { } p && (p.Started > 0 || p.RecordsWritten > 0))
        {
            Line(sb, "Prefetches (working sets)", $"{p.Started} started, {p.RecordsWritten} recorded");
            Line(sb, "  entries fetched / used / wasted", $"{p.Entries} / {p.Used} / {p.Wasted}");
            Line(sb, "  blobs fetched", $"{p.Blobs} ({Size(p.Bytes)})");
            Line(sb, "  already local / missing", $"{p.AlreadyLocal} / {p.Missing}");
            Line(sb, "  stopped: build ended / budget / failed", $"{p.StoppedBuildEnded} / {p.StoppedBudget} / {p.Failures}");
        }
        var local = stats.Tiers.FirstOrDefault(t => t.Name == "local");
        if (local is not null)
        {
            Line(sb, "Cache size", Size(local.SizeBytes));
            Line(sb, "Max cache size", Size(local.CapacityBytes));
        }
        Line(sb, "Daemon version", stats.Version);
        Line(sb, "Daemon uptime", $"{stats.UptimeSeconds} s");
        return sb.ToString();
    }

    /// <summary>sccache's JSON shape (<c>stats</c>, <c>cache_location</c>, sizes) plus a <c>cachefarm</c> object.</summary>
    public static string Json(Stats stats, string location)
    {
        var c = stats.Compiles ?? new CompileStats();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("stats");
            w.WriteNumber("compile_requests", c.CompileRequests);
            w.WriteNumber("requests_executed", c.RequestsExecuted);
            w.WriteNumber("cache_hits", c.CacheHits);
            w.WriteNumber("cache_misses", c.CacheMisses);
            w.WriteNumber("cache_timeouts", c.CacheTimeouts);
            w.WriteNumber("cache_read_errors", c.CacheReadErrors);
            w.WriteNumber("forced_recaches", c.ForcedRecaches);
            w.WriteNumber("cache_write_errors", WriteErrors(stats));
            w.WriteNumber("read_only_skips", c.ReadOnlySkips);
            w.WriteNumber("untrusted_entries", c.UntrustedEntries);
            w.WriteNumber("compile_fails", c.CompilationFailures);
            w.WriteNumber("cache_errors", c.CacheErrors);
            w.WriteNumber("non_cacheable_compilations", c.NonCacheableCompilations);
            w.WriteNumber("requests_not_cacheable", c.NonCacheableCalls);
            w.WriteNumber("requests_not_compile", c.NonCompilationCalls);
            w.WriteNumber("requests_unsupported_compiler", 0);
            w.WriteStartObject("not_cached");
            foreach (var (reason, count) in c.NonCacheableReasons)
            {
                w.WriteNumber(reason, count);
            }
            w.WriteEndObject();
            w.WriteNumber("hit_rate", c.CacheHits + c.CacheMisses == 0 ? 0 : (double)c.CacheHits / (c.CacheHits + c.CacheMisses));
            w.WriteNumber("average_compiler_seconds", AverageSeconds(c.TotalCompileUs, c.RequestsExecuted));
            w.WriteNumber("average_cache_write_seconds", AverageSeconds(c.TotalCacheWriteUs, c.CacheWrites));
            w.WriteNumber("average_cache_read_hit_seconds", AverageSeconds(c.TotalCacheReadHitUs, c.CacheHits));
            w.WriteNumber("time_saved_seconds", c.TotalSavedUs / 1e6);
            w.WriteStartObject("hits_by_tier");
            foreach (var (tier, hits) in c.HitsByTier)
            {
                w.WriteNumber(tier, hits);
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("cache_location", location);
            var local = stats.Tiers.FirstOrDefault(t => t.Name == "local");
            w.WriteNumber("cache_size", local?.SizeBytes ?? 0);
            w.WriteNumber("max_cache_size", local?.CapacityBytes ?? 0);
            w.WriteStartObject("cachefarm");
            w.WriteString("version", stats.Version);
            w.WriteNumber("uptime_seconds", stats.UptimeSeconds);
            w.WriteStartArray("tiers");
            foreach (var tier in stats.Tiers)
            {
                w.WriteStartObject();
                w.WriteString("name", tier.Name);
                w.WriteString("health", tier.Health);
                w.WriteString("mode", tier.Mode);
                w.WriteNumber("size_bytes", tier.SizeBytes);
                w.WriteNumber("capacity_bytes", tier.CapacityBytes);
                w.WriteNumber("blob_hits", tier.BlobHits);
                w.WriteNumber("blob_misses", tier.BlobMisses);
                w.WriteNumber("entry_hits", tier.EntryHits);
                w.WriteNumber("entry_misses", tier.EntryMisses);
                w.WriteNumber("evictions", tier.Evictions);
                w.WriteNumber("evicted_bytes", tier.EvictedBytes);
                w.WriteNumber("errors", tier.Errors);
                w.WriteNumber("corrupt_reads", tier.CorruptReads);
                w.WriteNumber("writes", tier.Writes);
                w.WriteNumber("pending_writes", tier.PendingWrites);
                w.WriteNumber("dropped_writes", tier.DroppedWrites);
                w.WriteNumber("deduplicated_writes", tier.DeduplicatedWrites);
                w.WriteNumber("backfills", tier.Backfills);
                w.WriteNumber("requests", tier.Requests);
                w.WriteNumber("timeouts", tier.Timeouts);
                w.WriteNumber("skipped_requests", tier.SkippedRequests);
                w.WriteNumber("breaker_opens", tier.BreakerOpens);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var r = stats.Requests ?? new RequestStats();
            w.WriteStartObject("requests");
            w.WriteNumber("blob_reads", r.BlobReads);
            w.WriteNumber("blob_read_hits", r.BlobReadHits);
            w.WriteNumber("blob_writes", r.BlobWrites);
            w.WriteNumber("blob_writes_deduplicated", r.BlobWritesDeduplicated);
            w.WriteNumber("blob_write_rejections", r.BlobWriteRejections);
            w.WriteNumber("entry_gets", r.EntryGets);
            w.WriteNumber("entry_hits", r.EntryHits);
            w.WriteNumber("entry_puts", r.EntryPuts);
            w.WriteNumber("bytes_read", r.BytesRead);
            w.WriteNumber("bytes_written", r.BytesWritten);
            w.WriteEndObject();
            var p = stats.Prefetch ?? new PrefetchStats();
            w.WriteStartObject("prefetch");
            w.WriteNumber("started", p.Started);
            w.WriteNumber("records_written", p.RecordsWritten);
            w.WriteNumber("entries", p.Entries);
            w.WriteNumber("blobs", p.Blobs);
            w.WriteNumber("bytes", p.Bytes);
            w.WriteNumber("used", p.Used);
            w.WriteNumber("wasted", p.Wasted);
            w.WriteNumber("already_local", p.AlreadyLocal);
            w.WriteNumber("missing", p.Missing);
            w.WriteNumber("stopped_build_ended", p.StoppedBuildEnded);
            w.WriteNumber("stopped_budget", p.StoppedBudget);
            w.WriteNumber("failures", p.Failures);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Line(StringBuilder sb, string label, long value) =>
        sb.Append(label.PadRight(LabelWidth)).AppendLine(value.ToString(CultureInfo.InvariantCulture).PadLeft(NumberWidth));

    private static void Line(StringBuilder sb, string label, string value) =>
        sb.Append(label.PadRight(LabelWidth - 1)).Append(' ').AppendLine(value);

    private static string HitRate(CompileStats c)
    {
        var total = c.CacheHits + c.CacheMisses;
        return total == 0 ? "-" : ((double)c.CacheHits / total * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
    }

    private static string Seconds(long totalUs, long count) =>
        AverageSeconds(totalUs, count).ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static double AverageSeconds(long totalUs, long count) => count == 0 ? 0 : totalUs / 1e6 / count;

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    // A compile handed to a local daemon fails, if it does, after the wrapper has gone: the daemon counts those.
    private static long WriteErrors(Stats stats) =>
        (stats.Compiles?.CacheWriteErrors ?? 0) + (stats.Requests?.DeferredStoreFailures ?? 0);
}
