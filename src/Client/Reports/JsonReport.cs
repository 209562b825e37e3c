using System.Text;
using System.Text.Json;

namespace CacheFarm.Client.Reports;

/// <summary><c>cachefarm report --format json</c>, written with Utf8JsonWriter (no reflection, for NativeAOT). Durations are in microseconds.</summary>
public static class JsonReport
{
    /// <summary>One build in detail; <paramref name="prefetch"/> adds the daemon's working-set prefetch counters.</summary>
    public static string Build(BuildSummary summary, string? htmlPath, Protos.V1.PrefetchStats? prefetch = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteBuild(json, summary, withUnits: true, htmlPath, prefetch);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Comparison(IReadOnlyList<BuildSummary> builds)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("builds");
            foreach (var build in builds)
            {
                WriteBuild(json, build, withUnits: false, htmlPath: null);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteBuild(Utf8JsonWriter json, BuildSummary s, bool withUnits, string? htmlPath, Protos.V1.PrefetchStats? prefetch = null)
    {
        json.WriteStartObject();
        json.WriteString("build_id", s.Build.BuildId);
        json.WriteString("command", s.Build.Command);
        json.WriteNumber("started_unix_ms", s.Build.FirstUnixMs);
        json.WriteString("kind", s.Kind);
        json.WriteNumber("compiles", s.Units.Count);
        json.WriteNumber("probes", s.Probes);
        json.WriteNumber("hits", s.Hits);
        json.WriteNumber("misses", s.Misses);
        json.WriteNumber("not_cacheable", s.NotCacheable);
        json.WriteNumber("cache_errors", s.CacheErrors);
        if (s.HitRate is { } rate)
        {
            json.WriteNumber("hit_rate", Math.Round(rate, 4));
        }
        else
        {
            json.WriteNull("hit_rate");
        }
        json.WriteNumber("wall_us", s.WallUs);
        json.WriteNumber("saved_us", s.SavedUs);
        json.WriteNumber("link_us", s.LinkUs);
        json.WriteNumber("cache_read_us", s.CacheReadUs);
        json.WriteNumber("cache_write_us", s.CacheWriteUs);
        json.WriteNumber("bytes_read", s.BytesRead);
        json.WriteNumber("bytes_written", s.BytesWritten);
        json.WriteStartObject("not_cacheable_reasons");
        foreach (var (reason, count) in s.NotCacheableReasons)
        {
            json.WriteNumber(reason, count);
        }
        json.WriteEndObject();
        if (prefetch is not null)
        {
            // The daemon's counters since its start: one build's on an ephemeral runner.
            json.WriteStartObject("daemon_prefetch");
            json.WriteNumber("entries", prefetch.Entries);
            json.WriteNumber("bytes", prefetch.Bytes);
            json.WriteNumber("used", prefetch.Used);
            json.WriteNumber("wasted", prefetch.Wasted);
            json.WriteEndObject();
        }
        if (s.LinkerDecision is { } decision)
        {
            json.WriteStartObject("linker");
            json.WriteString("name", decision.Linker);
            json.WriteString("reason", decision.Reason);
            json.WriteEndObject();
        }
        WriteTotals(json, "link_by_linker", s.LinksByLinker);
        WriteTotals(json, "shadow_links", s.ShadowLinks);
        if (s.TargetDirectory is { } target)
        {
            json.WriteString("target_dir", target);
        }
        if (htmlPath is not null)
        {
            json.WriteString("html_report", htmlPath);
        }
        if (withUnits)
        {
            json.WriteStartArray("slowest");
            foreach (var unit in s.Slowest(10))
            {
                json.WriteStringValue(unit.Name);
            }
            json.WriteEndArray();
            json.WriteStartArray("rebuilt");
            foreach (var unit in s.Rebuilt)
            {
                json.WriteStartObject();
                json.WriteString("unit", unit.Name);
                json.WriteString("outcome", unit.Outcome);
                json.WriteString("cause", unit.Record.RebuildCause);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("crates");
            foreach (var unit in s.Units)
            {
                WriteUnit(json, unit);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteUnit(Utf8JsonWriter json, UnitRun unit)
    {
        var r = unit.Record;
        json.WriteStartObject();
        json.WriteString("unit", unit.Name);
        json.WriteString("crate", r.CrateName);
        json.WriteString("crate_types", r.CrateTypes);
        json.WriteString("outcome", unit.Outcome);
        json.WriteString("reason", r.Reason);
        json.WriteString("cause", r.RebuildCause);
        json.WriteNumber("start_us", unit.StartUs);
        json.WriteNumber("total_us", r.TotalUs);
        json.WriteNumber("rustc_us", r.CompileUs);
        json.WriteNumber("compile_us", unit.CompileOnlyUs);
        json.WriteNumber("link_us", r.LinkUs);
        json.WriteString("linker", r.Linker);
        json.WriteNumber("cache_read_us", r.CacheReadUs);
        json.WriteNumber("cache_write_us", r.CacheWriteUs);
        json.WriteNumber("saved_us", r.SavedUs);
        json.WriteNumber("bytes_read", r.BytesRead);
        json.WriteNumber("bytes_written", r.BytesWritten);
        json.WriteStartArray("shadow_links");
        foreach (var trial in r.LinkTrials)
        {
            json.WriteStartObject();
            json.WriteString("linker", trial.Linker);
            json.WriteNumber("link_us", trial.LinkUs);
            json.WriteNumber("baseline_us", trial.BaselineUs);
            json.WriteBoolean("failed", trial.Failed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, string name, List<LinkerTotal> totals)
    {
        json.WriteStartArray(name);
        foreach (var total in totals)
        {
            json.WriteStartObject();
            json.WriteString("linker", total.Linker);
            json.WriteNumber("links", total.Links);
            json.WriteNumber("total_us", total.TotalUs);
            json.WriteNumber("longest_us", total.LongestUs);
            if (total.BaselineUs > 0)
            {
                json.WriteNumber("baseline_us", total.BaselineUs);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
