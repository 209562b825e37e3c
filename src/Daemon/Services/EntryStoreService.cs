using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.EntryStore</c> service: entries that are only served, and only stored, complete.</summary>
public sealed class EntryStoreService(ICacheStore store, RequestCounters counters, EntryReads reads) : EntryStore.EntryStoreBase
{
    public const int MaxOutputs = 10_000;

    public override Task<Entry> GetEntry(GetEntryRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var key = RequestArguments.EntryKey(request.Key);
        return reads.GetCompleteAsync(ns, key, request.Key, context.CancellationToken);
    }

    public override async Task<PutEntryResponse> PutEntry(PutEntryRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var key = RequestArguments.EntryKey(request.Key);
        var entry = request.Entry ?? throw RequestArguments.Invalid("entry is missing");
        if (entry.Outputs.Count > MaxOutputs)
        {
            throw RequestArguments.Invalid($"entry.outputs: at most {MaxOutputs} outputs, got {entry.Outputs.Count}");
        }
        var missing = new List<string>();
        for (var i = 0; i < entry.Outputs.Count; i++)
        {
            var output = entry.Outputs[i];
            if (!OutputPath.IsSafeRelative(output.Path))
            {
                throw RequestArguments.Invalid($"entry.outputs[{i}].path must be a relative path without '..' segments, got '{output.Path}'");
            }
            var digest = RequestArguments.Digest(output.Digest, $"entry.outputs[{i}].digest");
            if (!await store.ContainsBlobAsync(ns, digest, context.CancellationToken).ConfigureAwait(false))
            {
                missing.Add($"{output.Path} ({digest.Hex}/{digest.Size})");
            }
        }
        if (missing.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "upload these blobs before the entry: " + string.Join(", ", missing)));
        }
        try
        {
            await store.PutEntryAsync(ns, key, entry, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw RequestArguments.Invalid(e.Message);
        }
        catch (StorageFullException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
        Interlocked.Increment(ref counters.EntryPuts);
        return new PutEntryResponse();
    }
}
