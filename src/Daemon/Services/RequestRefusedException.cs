using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services;

/// <summary>A request the cache refuses, with the reason; the front doors map it to their own statuses.</summary>
public sealed class RequestRefusedException(Refusal refusal, string message) : Exception(message)
{
    public Refusal Refusal { get; } = refusal;

    public static RequestRefusedException BlobNotFound(ContentDigest digest) => new(Refusal.NotFound, $"blob {digest.Hex}/{digest.Size} not found");
}
