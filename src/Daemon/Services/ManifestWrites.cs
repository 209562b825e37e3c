using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Daemon.Services;

/// <summary>
/// Writes of input manifests. Two builds that miss the same first-level key at once (two branches, two CI
/// runners) each read the manifest, add their own candidate and write it back; replacing the stored one
/// would drop the other build's candidate, so a manifest write merges with what is stored. Writes to one
/// key are serialised here, which covers every client of this daemon and the tiers behind it.
/// </summary>
public sealed class ManifestWrites(ICacheStore store) : IDisposable
{
    private const int Stripes = 64;

    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public static bool IsManifest(Entry entry) => entry.Metadata?.Tool == InputManifest.Tool;

    public async Task PutAsync(NamespaceId ns, byte[] key, Entry entry, CancellationToken cancellationToken)
    {
        var gate = _locks[StripeOf(key)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await store.GetEntryAsync(ns, key, cancellationToken).ConfigureAwait(false);
            var written = stored is not null && IsManifest(stored) ? Merged(entry, stored) : entry;
            await store.PutEntryAsync(ns, key, written.ToByteArray(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var gate in _locks)
        {
            gate.Dispose();
        }
    }

    private static Entry Merged(Entry written, Entry stored)
    {
        var merged = InputManifest.Parse(written.Stdout.Span).MergedOver(InputManifest.Parse(stored.Stdout.Span));
        var entry = written.Clone();
        entry.Stdout = ByteString.CopyFrom(merged.Serialize());
        return entry;
    }

    private static int StripeOf(byte[] key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return (int)((uint)hash.ToHashCode() % Stripes);
    }
}
