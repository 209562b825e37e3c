using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Prefetch;
using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Daemon.Services;

/// <summary>Entry writes for every front door: an entry is stored only when every output it names is already stored.</summary>
public sealed class EntryWrites(ICacheStore store, ManifestWrites manifests, WorkingSets workingSets, RequestCounters counters)
{
    public const int MaxOutputs = 10_000;

    /// <summary>Stores an entry whose outputs are all stored, noting it in the build's working set (empty for none).</summary>
    public async Task PutAsync(NamespaceId ns, byte[] key, Entry? entry, string workingSet, CancellationToken cancellationToken)
    {
        var checkedEntry = Check(entry);
        var missing = new List<string>();
        foreach (var output in checkedEntry.Outputs)
        {
            var digest = RequestArguments.Digest(output.Digest);
            if (!await store.ContainsBlobAsync(ns, digest, cancellationToken).ConfigureAwait(false))
            {
                missing.Add($"{output.Path} ({digest.Hex}/{digest.Size})");
            }
        }
        if (missing.Count > 0)
        {
            throw new RequestRefusedException(Refusal.Precondition, "upload these blobs before the entry: " + string.Join(", ", missing));
        }
        try
        {
            if (ManifestWrites.IsManifest(checkedEntry))
            {
                await manifests.PutAsync(ns, key, checkedEntry, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await store.PutEntryAsync(ns, key, checkedEntry.ToByteArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ArgumentException e)
        {
            throw RequestArguments.Invalid(e.Message);
        }
        catch (StorageFullException e)
        {
            throw new RequestRefusedException(Refusal.NoRoom, e.Message);
        }
        Interlocked.Increment(ref counters[RequestCounter.EntryPuts]);
        workingSets.NoteStored(ns, workingSet, key);
    }

    /// <summary>Refuses an entry that could never be stored: too many outputs, unsafe paths or malformed digests.</summary>
    public static Entry Check(Entry? entry)
    {
        if (entry is null)
        {
            throw RequestArguments.Invalid("entry is missing");
        }
        if (entry.Outputs.Count > MaxOutputs)
        {
            throw RequestArguments.Invalid($"entry.outputs: at most {MaxOutputs} outputs, got {entry.Outputs.Count}");
        }
        for (var i = 0; i < entry.Outputs.Count; i++)
        {
            var output = entry.Outputs[i];
            if (!OutputPath.IsSafeRelative(output.Path))
            {
                throw RequestArguments.Invalid($"entry.outputs[{i}].path must be a relative path without '..' segments, got '{output.Path}'");
            }
            RequestArguments.Digest(output.Digest, $"entry.outputs[{i}].digest");
        }
        return entry;
    }
}
