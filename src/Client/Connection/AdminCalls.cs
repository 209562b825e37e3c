using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Connection;

/// <summary>The daemon's admin calls: stats, shutdown, and the compile records and build reports behind `cachefarm report`.</summary>
public sealed class AdminCalls
{
    private readonly DaemonTransport _transport;

    internal AdminCalls(DaemonTransport transport) => _transport = transport;

    public async Task<Stats> GetStatsAsync(CancellationToken cancellationToken)
    {
        var request = new GetStatsRequest();
        return await _transport.CallAsync(FastPathOp.GetStats, request, Stats.Parser,
            () => _transport.Grpc.Admin.GetStatsAsync(request, DaemonTransport.Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stats> ZeroStatsAsync(CancellationToken cancellationToken) =>
        await _transport.Grpc.Admin.ZeroStatsAsync(new ZeroStatsRequest(), DaemonTransport.Options(cancellationToken)).ConfigureAwait(false);

    public async Task<Stats> ShutdownAsync(CancellationToken cancellationToken) =>
        await _transport.Grpc.Admin.ShutdownAsync(new ShutdownRequest(), DaemonTransport.Options(cancellationToken)).ConfigureAwait(false);

    public async Task RecordCompileAsync(CompileRecord record, CancellationToken cancellationToken) =>
        await _transport.CallAsync(FastPathOp.RecordCompile, record, RecordCompileResponse.Parser,
            () => _transport.Grpc.Admin.RecordCompileAsync(record, DaemonTransport.Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);

    public async Task<BuildReports> GetBuildReportsAsync(int limit, string buildIdPrefix, CancellationToken cancellationToken) =>
        await _transport.Grpc.Admin.GetBuildReportsAsync(new GetBuildReportsRequest { Limit = limit, BuildIdPrefix = buildIdPrefix }, DaemonTransport.Options(cancellationToken)).ConfigureAwait(false);
}
