using CacheFarm.Protos.V1;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>The <c>cachefarm.v1.EntryStore</c> service: entries that are only served, and only stored, complete.</summary>
public sealed class EntryStoreService(EntryReads reads, EntryWrites writes) : EntryStore.EntryStoreBase
{
    public override Task<Entry> GetEntry(GetEntryRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var key = RequestArguments.EntryKey(request.Key);
        return reads.GetCompleteAsync(ns, key, request.Key, request.WorkingSet, context.CancellationToken);
    }

    public override async Task<PutEntryResponse> PutEntry(PutEntryRequest request, ServerCallContext context)
    {
        var ns = RequestArguments.Namespace(request.Namespace, context);
        var key = RequestArguments.EntryKey(request.Key);
        await writes.PutAsync(ns, key, request.Entry, request.WorkingSet, context.CancellationToken).ConfigureAwait(false);
        return new PutEntryResponse();
    }
}
