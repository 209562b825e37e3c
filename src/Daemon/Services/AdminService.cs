using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Protos.V1;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.Admin</c> service: stats, zeroing them, build reports, and shutting the daemon down.</summary>
public sealed class AdminService(
    ICacheStore store, RequestCounters counters, CompileCounters compiles, PrefetchCounters prefetches, RecentActivityWindow recent, BuildReportStore builds, StatsSnapshot snapshot, IHostApplicationLifetime lifetime) : Admin.AdminBase
{
    public override Task<Stats> GetStats(GetStatsRequest request, ServerCallContext context) => Task.FromResult(Snapshot());

    public override Task<Stats> ZeroStats(ZeroStatsRequest request, ServerCallContext context)
    {
        counters.Zero();
        compiles.Zero();
        prefetches.Zero();
        store.ZeroStats();
        recent.Restart();
        return Task.FromResult(Snapshot());
    }

    public override Task<Stats> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        var stats = Snapshot();
        // Stop after this answer has gone out; the host checkpoints the local tier on the way down.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(stats);
    }

    public override Task<RecordCompileResponse> RecordCompile(CompileRecord request, ServerCallContext context)
    {
        compiles.Record(request);
        return Task.FromResult(new RecordCompileResponse());
    }

    public override Task<BuildReports> GetBuildReports(GetBuildReportsRequest request, ServerCallContext context) =>
        Task.FromResult(builds.Recent(request.Limit, request.BuildIdPrefix));

    private Stats Snapshot() => snapshot.Take();
}
