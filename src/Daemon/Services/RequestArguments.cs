using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>Turns request fields into validated values, or INVALID_ARGUMENT naming the offending field.</summary>
internal static class RequestArguments
{
    public static NamespaceId Namespace(string? name) =>
        NamespaceId.TryParse(name, out var ns, out var error) ? ns : throw Invalid($"namespace: {error}");

    public static ContentDigest Digest(Digest? digest, string field = "digest") =>
        ContentDigest.TryParse(digest, out var parsed, out var error, field) ? parsed : throw Invalid(error);

    public static byte[] EntryKey(string? key, string field = "key") =>
        ContentDigest.TryParseHex(key, out var hash) ? hash : throw Invalid($"{field} must be 64 lowercase hex characters (a SHA-256), got '{key}'");

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
