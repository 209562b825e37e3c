using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Times every request to a remote tier and traces it as a span of the request that caused it.</summary>
internal sealed class InstrumentedRemoteTier(IRemoteTier inner) : IRemoteTier
{
    public string Name => inner.Name;

    public long MaxBlobSize => inner.MaxBlobSize;

    public bool IsDisconnected => inner.IsDisconnected;

    public Task<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        MeasureAsync("contains_blob", () => inner.ContainsBlobAsync(ns, digest, cancellationToken), found => found ? "hit" : "miss");

    public Task<RemoteBlobSource?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        MeasureAsync("open_blob", () => inner.OpenBlobAsync(ns, digest, cancellationToken), source => source is null ? "miss" : "hit");

    public IBlobWriter BeginBlobWrite(NamespaceId ns, ContentDigest digest) => inner.BeginBlobWrite(ns, digest);

    public Task DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        MeasureAsync("delete_blob", async () =>
        {
            await inner.DeleteBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
            return true;
        }, _ => "ok");

    public Task<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken) =>
        MeasureAsync("get_entry", () => inner.GetEntryAsync(ns, key, cancellationToken), entry => entry is null ? "miss" : "hit");

    public Task PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken) =>
        MeasureAsync("put_entry", async () =>
        {
            await inner.PutEntryAsync(ns, key, envelope, cancellationToken).ConfigureAwait(false);
            return true;
        }, _ => "ok");

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> request, Func<T, string> outcome)
    {
        var timer = TierTelemetry.Start(inner.Name, operation);
        try
        {
            var result = await request().ConfigureAwait(false);
            timer.End(outcome(result));
            return result;
        }
        catch
        {
            timer.End("error");
            throw;
        }
    }
}
