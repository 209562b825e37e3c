using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CacheFarm.Daemon.Services;
using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Protos.V1;
using Grpc.Core;

namespace CacheFarm.Daemon.Telemetry;

/// <summary>The daemon's instruments: RPC counts and latency, lookups per namespace, and tier and build statistics.</summary>
/// <remarks>
/// Tier and build figures are observed from the counters the daemon keeps anyway (the same ones GetStats
/// reports), so a scrape and <c>cachefarm status</c> always agree and the hot path pays nothing extra.
/// </remarks>
public sealed class CacheMetrics
{
    /// <summary>Namespaces beyond this many are reported as "other", so a hostile client cannot explode cardinality.</summary>
    public const int MaxNamespaceLabels = 100;

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _lookups;
    private readonly ConcurrentDictionary<string, byte> _namespaces = new(StringComparer.Ordinal);

    public CacheMetrics(ICacheStore store, CompileCounters compiles, PrefetchCounters prefetches)
    {
        var meter = CacheFarmTelemetry.Meter;
        _requests = meter.CreateCounter<long>("cachefarm.rpc.requests", "{request}", "gRPC requests by method and status code");
        _duration = meter.CreateHistogram<double>("cachefarm.rpc.duration", "s", "gRPC request latency by method and status code",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _lookups = meter.CreateCounter<long>("cachefarm.lookups", "{lookup}", "blob and entry lookups by namespace and result");

        meter.CreateObservableCounter("cachefarm.tier.hits", () => TierMeasurements(store, t => [(t.BlobHits, "blob"), (t.EntryHits, "entry")]), "{hit}", "hits per storage tier");
        meter.CreateObservableCounter("cachefarm.tier.misses", () => TierMeasurements(store, t => [(t.BlobMisses, "blob"), (t.EntryMisses, "entry")]), "{miss}", "misses per storage tier");
        meter.CreateObservableCounter("cachefarm.tier.io", () => TierIo(store), "By", "bytes read from and written to each tier");
        meter.CreateObservableCounter("cachefarm.tier.writes", () => TierValue(store, t => t.Writes), "{write}", "objects written to each tier");
        meter.CreateObservableCounter("cachefarm.tier.evictions", () => TierValue(store, t => t.Evictions), "{eviction}", "eviction rounds per tier");
        meter.CreateObservableCounter("cachefarm.tier.evicted", () => TierValue(store, t => t.EvictedBytes), "By", "bytes evicted per tier");
        meter.CreateObservableCounter("cachefarm.tier.errors", () => TierValue(store, t => t.Errors), "{error}", "failed operations per tier");
        meter.CreateObservableCounter("cachefarm.tier.corrupt_reads", () => TierValue(store, t => t.CorruptReads), "{read}", "reads that failed verification per tier");
        meter.CreateObservableGauge("cachefarm.tier.size", () => TierValue(store, t => t.SizeBytes), "By", "bytes held per tier (where known)");
        meter.CreateObservableGauge("cachefarm.tier.capacity", () => TierValue(store, t => t.CapacityBytes), "By", "capacity per tier (where known)");
        meter.CreateObservableGauge("cachefarm.tier.health", () => TierValue(store, t => HealthValue(t.Health)), "1", "1 healthy, 0.5 degraded, 0 circuit open");

        meter.CreateObservableCounter("cachefarm.build.compiles", () => CompileOutcomes(compiles.Snapshot()), "{compile}", "compiler calls reported by clients, by outcome");
        meter.CreateObservableCounter("cachefarm.build.time_saved", () => compiles.Snapshot().TotalSavedUs / 1e6, "s", "compile time the cache hits saved");
        meter.CreateObservableCounter("cachefarm.build.compile_time", () => compiles.Snapshot().TotalCompileUs / 1e6, "s", "time clients spent compiling on misses");
        meter.CreateObservableCounter("cachefarm.prefetch.entries", () => PrefetchOutcomes(prefetches.Snapshot()), "{entry}", "working-set prefetch: entries fetched, then used or wasted, or found local or missing");
        meter.CreateObservableCounter("cachefarm.prefetch.bytes", () => prefetches.Snapshot().Bytes, "By", "output bytes working-set prefetches brought into the local tier");
        meter.CreateObservableCounter("cachefarm.build.untrusted_entries", () => compiles.Snapshot().UntrustedEntries, "{entry}", "entries clients rejected because their signature did not verify");
    }

    public void RecordRpc(string method, StatusCode status, double seconds)
    {
        var tags = new TagList { { "rpc.method", method }, { "rpc.grpc.status_code", status.ToString() } };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    /// <summary>Counts a blob or entry lookup for the namespace it was made in.</summary>
    public void RecordLookup(string kind, NamespaceId ns, bool hit) =>
        _lookups.Add(1, new TagList { { "kind", kind }, { "namespace", NamespaceLabel(ns.Name) }, { "result", hit ? "hit" : "miss" } });

    private string NamespaceLabel(string name)
    {
        if (_namespaces.ContainsKey(name))
        {
            return name;
        }
        return _namespaces.Count < MaxNamespaceLabels && _namespaces.TryAdd(name, 0) ? name : "other";
    }

    private static IEnumerable<Measurement<long>> TierMeasurements(ICacheStore store, Func<TierStats, (long Value, string Kind)[]> select) =>
        store.GetTierStats().SelectMany(t => select(t).Select(m => new Measurement<long>(m.Value, new TagList { { "tier", t.Name }, { "kind", m.Kind } })));

    private static IEnumerable<Measurement<long>> TierIo(ICacheStore store) =>
        store.GetTierStats().SelectMany(t => new[]
        {
            new Measurement<long>(t.BytesRead, new TagList { { "tier", t.Name }, { "direction", "read" } }),
            new Measurement<long>(t.BytesWritten, new TagList { { "tier", t.Name }, { "direction", "write" } }),
        });

    private static IEnumerable<Measurement<double>> TierValue(ICacheStore store, Func<TierStats, double> select) =>
        store.GetTierStats().Select(t => new Measurement<double>(select(t), new TagList { { "tier", t.Name } }));

    private static double HealthValue(string health) => health switch
    {
        "healthy" => 1,
        "degraded" => 0.5,
        _ => 0,
    };

    private static IEnumerable<Measurement<long>> PrefetchOutcomes(PrefetchStats s) =>
    [
        new(s.Entries, new TagList { { "outcome", "fetched" } }),
        new(s.Used, new TagList { { "outcome", "used" } }),
        new(s.Wasted, new TagList { { "outcome", "wasted" } }),
        new(s.AlreadyLocal, new TagList { { "outcome", "already_local" } }),
        new(s.Missing, new TagList { { "outcome", "missing" } }),
    ];

    private static IEnumerable<Measurement<long>> CompileOutcomes(CompileStats s) =>
    [
        new(s.CacheHits, new TagList { { "outcome", "hit" } }),
        new(s.CacheMisses, new TagList { { "outcome", "miss" } }),
        new(s.NonCacheableCalls, new TagList { { "outcome", "not_cacheable" } }),
        new(s.CacheErrors, new TagList { { "outcome", "cache_error" } }),
    ];
}
