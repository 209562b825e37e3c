using CacheFarm.Daemon.Telemetry;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Times every request to a remote tier and traces it as a span of the request that caused it.</summary>
internal sealed class InstrumentedRemoteTier(ICacheTier inner) : ICacheTier
{
    public string Name => inner.Name;

    public long MaxBlobSize => inner.MaxBlobSize;

    public bool TrustedReads => inner.TrustedReads;

    public bool IsDisconnected => inner.IsDisconnected;

    public ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        MeasureAsync("contains_blob", () => inner.ContainsBlobAsync(ns, digest, cancellationToken), found => found ? "hit" : "miss");

    public ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        MeasureAsync("open_blob", () => inner.OpenBlobAsync(ns, digest, cancellationToken), reader => reader is null ? "miss" : "hit");

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        inner.BeginBlobWriteAsync(ns, digest, cancellationToken);

    public async ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        await MeasureAsync("delete_blob", async () =>
        {
            await inner.DeleteBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false);
            return true;
        }, _ => "ok").ConfigureAwait(false);

    public async ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken) =>
        await MeasureAsync("delete_entry", async () =>
        {
            await inner.DeleteEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
            return true;
        }, _ => "ok").ConfigureAwait(false);

    public ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken) =>
        MeasureAsync("get_entry", () => inner.GetEntryAsync(ns, key, cancellationToken), entry => entry is null ? "miss" : "hit");

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken) =>
        await MeasureAsync("put_entry", async () =>
        {
            await inner.PutEntryAsync(ns, key, entry, cancellationToken).ConfigureAwait(false);
            return true;
        }, _ => "ok").ConfigureAwait(false);

    public void Describe(TierStats stats) => inner.Describe(stats);

    public void ZeroStats() => inner.ZeroStats();

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async ValueTask<T> MeasureAsync<T>(string operation, Func<ValueTask<T>> request, Func<T, string> outcome)
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
