using System.Diagnostics;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Stores a miss's entry and notes in its record how that went: the bytes and time, a failed write, or a token
/// that may read but not write, which is no error but a mode for the rest of the build.
/// </summary>
public static class RecordedStore
{
    public static Task StoreAsync(
        DaemonSession session, WrapperSettings settings, StoreRequest request, ReadOnlyBuild readOnly, CompileRecord record, bool mayStartDaemon, CancellationToken cancellationToken) =>
        StoreAsync(session, settings, [request], readOnly, record, mayStartDaemon, cancellationToken);

    /// <summary>Stores each request in turn (one compile's entry under several keys), stopping at the first that fails.</summary>
    public static async Task StoreAsync(
        DaemonSession session, WrapperSettings settings, IReadOnlyList<StoreRequest> requests, ReadOnlyBuild readOnly, CompileRecord record, bool mayStartDaemon, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        record.ReadOnly = readOnly.IsActive;
        // cachefarm doctor names the file that ties the entry to this directory.
        var first = requests[0];
        record.PathKeyedOutput = first.Candidate.PathDependent ? first.Outputs.FirstOrDefault(o => o.EmbedsRoot)?.RelativePath ?? "" : "";
        for (var i = 0; i < requests.Count && !record.ReadOnly && !record.CacheWriteFailed; i++)
        {
            var request = requests[i];
            var (stored, bytes) = await session.TryCallAsync(
                (c, ct) => EntryStorer.StoreAsync(c, request, ct), settings.TransferTimeout, mayStartDaemon, cancellationToken).ConfigureAwait(false);
            record.CacheWriteFailed = !stored;
            // Later requests store the same outputs under other keys: their bytes are the first one's again.
            if (i == 0)
            {
                record.BytesWritten = bytes;
            }
            if (!stored && session.FailureStatus == Grpc.Core.StatusCode.PermissionDenied)
            {
                readOnly.Activate();
                session.AcceptRefusal();
                record.ReadOnly = true;
                record.CacheWriteFailed = false;
            }
        }
        record.CacheWriteUs = CompileReporter.Microseconds(clock.Elapsed);
    }
}
