using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>Turns request fields into validated values, or an <see cref="Refusal.Invalid"/> refusal naming the offending field.</summary>
internal static class RequestArguments
{
    /// <summary>Parses the request's namespace and checks that the caller's token may use it.</summary>
    public static NamespaceId Namespace(string? name, ServerCallContext context)
    {
        var ns = Namespace(name);
        CallAuthorization.DemandNamespace(context, ns);
        return ns;
    }

    /// <summary>Parses the request's namespace and checks it against a connection's grant (null: the daemon has no tokens).</summary>
    public static NamespaceId Namespace(string? name, TokenGrant? grant)
    {
        var ns = Namespace(name);
        if (grant is not null && !grant.AllowsNamespace(ns.Name))
        {
            throw new RequestRefusedException(Refusal.Forbidden, $"token '{grant.Name}' may not use namespace '{ns.Name}'");
        }
        return ns;
    }

    /// <summary>Parses a namespace where no token applies (the fast path, guarded by its socket's mode).</summary>
    public static NamespaceId Namespace(string? name) =>
        NamespaceId.TryParse(name, out var parsed, out var error) ? parsed : throw Invalid($"namespace: {error}");

    public static ContentDigest Digest(Digest? digest, string field = "digest") =>
        ContentDigest.TryParse(digest, out var parsed, out var error, field) ? parsed : throw Invalid(error);

    public static byte[] EntryKey(string? key, string field = "key") =>
        ContentDigest.TryParseHex(key, out var hash) ? hash : throw Invalid($"{field} must be 64 lowercase hex characters (a SHA-256), got '{key}'");

    public static RequestRefusedException Invalid(string message) => new(Refusal.Invalid, message);
}
