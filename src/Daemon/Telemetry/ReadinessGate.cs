namespace CacheFarm.Daemon.Telemetry;

/// <summary>Whether the daemon serves: not before the local tier has recovered, and not once it is stopping.</summary>
public sealed class ReadinessGate
{
    private volatile string _state = "recovering";

    public bool IsReady => _state == "ready";

    public string State => _state;

    public void MarkReady() => _state = "ready";

    public void MarkStopping() => _state = "stopping";
}
