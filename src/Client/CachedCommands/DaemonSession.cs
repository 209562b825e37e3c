using CacheFarm.Client.Connection;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The daemon as one wrapper call sees it: connected on first use, started when the local daemon is not
/// running (once per machine at a time, see <see cref="DaemonAutoStart"/>), and written off for the rest of
/// the call after the first failure so a cache problem costs one timeout, not one per request.
/// </summary>
public sealed class DaemonSession(DaemonEndpoint endpoint, string @namespace, Func<string, string?> env) : IDisposable
{
    private CacheClient? _client;
    private bool _startAttempted;
    private bool _answered;

    public DaemonEndpoint Endpoint { get; } = endpoint;

    /// <summary>The build's working set, sent with lookups so the daemon can prefetch for the next build of it (<see cref="WorkingSetName"/>).</summary>
    public string WorkingSet { get; init; } = "";

    /// <summary>Token, TLS and entry key of this call, read from the environment once.</summary>
    public ClientCredentials Credentials { get; } = ClientCredentials.FromEnvironment(env);

    /// <summary>Set after a call failed or timed out; later calls are skipped.</summary>
    public string? Failure { get; private set; }

    public bool TimedOut { get; private set; }

    /// <summary>The gRPC status of the failure, when the daemon answered with one.</summary>
    public StatusCode? FailureStatus { get; private set; }

    public bool IsUsable => Failure is null;

    /// <summary>Entries this session fetched and rejected because their signature did not verify.</summary>
    public int UntrustedEntries => _client?.UntrustedEntries ?? 0;

    /// <summary>
    /// Runs one request with a deadline. On a refused connection to the default local daemon it starts the
    /// daemon and retries once. Returns false (and remembers why) when the cache cannot answer.
    /// </summary>
    public async Task<(bool Ok, T? Value)> TryCallAsync<T>(Func<CacheClient, CancellationToken, Task<T>> call, TimeSpan timeout, bool mayStartDaemon, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            return (false, default);
        }
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _client ??= NewClient();
                if (attempt == 0 && mayStartDaemon && MissingLocalSocket())
                {
                    await StartDaemonAsync(cancellationToken).ConfigureAwait(false);
                }
                using var deadline = CallDeadline.Until(DateTime.UtcNow + timeout);
                var value = await call(_client, cancellationToken).ConfigureAwait(false);
                _answered = true;
                return (true, value);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt == 0 && mayStartDaemon && Endpoint.CanAutoStart && !_startAttempted)
            {
                // Refused: the daemon is not running (or just died). Start it below and try once more.
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                var timedOut = !cancellationToken.IsCancellationRequested && e is TimeoutException or RpcException { StatusCode: StatusCode.DeadlineExceeded };
                return Fail<T>(e, timedOut, timeout);
            }
            try
            {
                await StartDaemonAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                return Fail<T>(e, false, timeout);
            }
        }
    }

    /// <summary>
    /// Sends a compile record for the stats. A call that has asked the daemon nothing else does not wait for one
    /// that is not up: it starts it (or finds it starting) and leaves the record in the spool the daemon reads
    /// once ready. Cargo's first call of a build, rustc -vV, otherwise waited for the whole start before the
    /// build could go on. A call with <paramref name="mayStartDaemon"/> false only reports to a daemon running.
    /// </summary>
    public async Task ReportAsync(CompileRecord record, bool mayStartDaemon, CancellationToken cancellationToken)
    {
        // IsStarting never throws: a lock that is not ours to open counts as free.
        if (mayStartDaemon && !_answered && !_startAttempted && Failure is null && Endpoint.CanAutoStart
            && (MissingLocalSocket() || DaemonAutoStart.IsStarting(Endpoint.DataDirectory)))
        {
            try
            {
                _client ??= NewClient();
                if (await DaemonAutoStart.StartWithoutWaitingAsync(_client, env, cancellationToken).ConfigureAwait(false) == DaemonAutoStart.Found.Starting)
                {
                    _startAttempted = true;
                    if (CompileRecordSpool.TryWrite(Endpoint.DataDirectory, record))
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (IsCacheFailure(e))
            {
                Fail<bool>(e, false, TimeSpan.Zero);
                return;
            }
        }
        await TryCallAsync(async (c, ct) =>
        {
            await c.Admin.RecordCompileAsync(record, ct).ConfigureAwait(false);
            return true;
        }, TimeSpan.FromSeconds(2), mayStartDaemon, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes back a failure that was the daemon's considered answer rather than a broken cache (a write the
    /// token may not make), so the rest of the call (the stats record) still reaches the daemon.
    /// </summary>
    public void AcceptRefusal()
    {
        if (FailureStatus == StatusCode.PermissionDenied)
        {
            Failure = null;
            FailureStatus = null;
        }
    }

    private (bool, T?) Fail<T>(Exception e, bool timedOut, TimeSpan timeout)
    {
        TimedOut = timedOut;
        FailureStatus = (e as RpcException)?.StatusCode;
        Failure = timedOut ? $"cache timed out after {timeout.TotalSeconds:0.#} s" : Describe(e);
        return (false, default);
    }

    private static bool IsCacheFailure(Exception e) =>
        e is RpcException or OperationCanceledException or TimeoutException or HttpRequestException or IOException or InvalidDataException or DaemonStartException or UnauthorizedAccessException;

    private CacheClient NewClient() => new(Endpoint, @namespace, TimeSpan.FromSeconds(1), Credentials) { WorkingSet = WorkingSet };

    private bool MissingLocalSocket() => Endpoint.CanAutoStart && Endpoint.SocketPath is { } socket && !File.Exists(socket);

    private async Task StartDaemonAsync(CancellationToken cancellationToken)
    {
        if (_startAttempted || !Endpoint.CanAutoStart || _client is null)
        {
            return;
        }
        _startAttempted = true;
        await DaemonAutoStart.EnsureRunningAsync(_client, env, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception e) => e switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => e.GetType().Name + ": " + e.Message,
    };

    public void Dispose() => _client?.Dispose();
}
