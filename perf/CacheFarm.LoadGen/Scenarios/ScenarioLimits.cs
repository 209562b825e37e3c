namespace CacheFarm.LoadGen.Scenarios;

/// <summary>Caps a scenario puts on the command line's concurrency and iteration counts (null: no cap).</summary>
internal sealed record ScenarioLimits(int? MaxUsers, long? MaxWarmupIterationsPerUser, long? MaxMeasuredIterationsPerUser)
{
    public static ScenarioLimits None { get; } = new(null, null, null);
}
