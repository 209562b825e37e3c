using CacheFarm.Client.Reports;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Doctor;

/// <summary>What the checks read: the workspace, the last build the daemon recorded from this host, the daemon's stats.</summary>
public sealed record DoctorContext
{
    /// <summary>The workspace root, or null when doctor runs outside one.</summary>
    public string? WorkspaceRoot { get; init; }

    public required string Cargo { get; init; }

    public required Func<string, string?> Env { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>The last build from this host, or null when none is recorded or the daemon is unreachable.</summary>
    public BuildSummary? LastBuild { get; init; }

    /// <summary>The daemon's stats, or null when it cannot be reached.</summary>
    public Stats? Stats { get; init; }

    /// <summary>Why the daemon could not be reached, when it could not.</summary>
    public string? DaemonProblem { get; init; }

    public required string Endpoint { get; init; }
}
