namespace CacheFarm.Daemon.Services;

/// <summary>Limits on streamed calls: how long an upload may go without sending a byte.</summary>
public sealed record StreamLimits(TimeSpan IdleTimeout);
