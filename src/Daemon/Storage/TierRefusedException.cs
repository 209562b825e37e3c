namespace CacheFarm.Daemon.Storage;

/// <summary>The tier answered and refused one request (no permission, an entry whose blobs it lacks): it is healthy, the request is lost.</summary>
/// <remarks>Unlike other tier exceptions this one does not count against the tier's breaker.</remarks>
public sealed class TierRefusedException(string message) : Exception(message);
