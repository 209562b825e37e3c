namespace CacheFarm.LoadGen.Reporting;

/// <summary>Everything one invocation measured.</summary>
internal sealed record LoadGenReport
{
    public required DateTimeOffset StartedUtc { get; init; }

    public required ReportSettings Settings { get; init; }

    public required IReadOnlyList<ScenarioReport> Scenarios { get; init; }
}
