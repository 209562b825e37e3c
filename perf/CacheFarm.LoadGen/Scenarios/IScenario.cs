using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>One kind of load: what it preloads, and what one iteration of a virtual user does.</summary>
internal interface IScenario
{
    string Name { get; }

    ScenarioLimits Limits { get; }

    /// <summary>Puts the data the iterations read in place; runs before every warm-up, since writes in between may have evicted it.</summary>
    Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken);

    /// <summary>Performs and records one iteration; failures are recorded, not thrown.</summary>
    Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken);
}
