namespace CacheFarm.Client.Connection;

/// <summary>The local daemon could not be found or started, or did not come up; the message says why.</summary>
public sealed class DaemonStartException(string message, Exception? inner = null) : Exception(message, inner);
