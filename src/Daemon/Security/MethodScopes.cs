namespace CacheFarm.Daemon.Security;

/// <summary>The scope each RPC needs. Health checks need none; an RPC missing here is refused.</summary>
public static class MethodScopes
{
    private static readonly Dictionary<string, Scopes> Required = new(StringComparer.Ordinal)
    {
        ["/cachefarm.v1.BlobStore/FindMissingBlobs"] = Scopes.Read,
        ["/cachefarm.v1.BlobStore/ReadBlob"] = Scopes.Read,
        ["/cachefarm.v1.BlobStore/BatchReadBlobs"] = Scopes.Read,
        ["/cachefarm.v1.BlobStore/WriteBlob"] = Scopes.WriteBlobs,
        ["/cachefarm.v1.BlobStore/BatchUpdateBlobs"] = Scopes.WriteBlobs,
        ["/cachefarm.v1.EntryStore/GetEntry"] = Scopes.Read,
        ["/cachefarm.v1.EntryStore/PutEntry"] = Scopes.WriteEntries,
        ["/cachefarm.v1.Admin/GetStats"] = Scopes.Read,
        ["/cachefarm.v1.Admin/RecordCompile"] = Scopes.Read,
        ["/cachefarm.v1.Admin/GetBuildReports"] = Scopes.Read,
        ["/cachefarm.v1.Admin/ZeroStats"] = Scopes.Admin,
        ["/cachefarm.v1.Admin/Shutdown"] = Scopes.Admin,
    };

    public static bool IsPublic(string method) => method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal);

    public static Scopes? For(string method) => Required.TryGetValue(method, out var scope) ? scope : null;
}
