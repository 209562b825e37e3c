using CacheFarm.Daemon.Storage;
using Grpc.Core;

namespace CacheFarm.Daemon.Security;

/// <summary>Carries the caller's grant through a call and checks namespaces against it.</summary>
public static class CallAuthorization
{
    private const string Key = "cachefarm.grant";

    public static void Set(ServerCallContext context, TokenGrant grant) => context.UserState[Key] = grant;

    /// <summary>PERMISSION_DENIED unless the caller may use <paramref name="ns"/> (always allowed without tokens).</summary>
    public static void DemandNamespace(ServerCallContext context, NamespaceId ns)
    {
        if (context.UserState.TryGetValue(Key, out var value) && value is TokenGrant grant && !grant.AllowsNamespace(ns.Name))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"token '{grant.Name}' may not use namespace '{ns.Name}'"));
        }
    }
}
