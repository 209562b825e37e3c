using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>blob-write-1m: every iteration uploads a fresh random 1 MiB blob under its SHA-256 digest.</summary>
internal sealed class BlobWriteScenario(WorkloadSettings settings) : IScenario
{
    public string Name => ScenarioCatalog.BlobWrite1M;

    public ScenarioLimits Limits => ScenarioLimits.None;

    public Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken) =>
        user.WriteFreshAsync(target, settings.BlobBytes, cancellationToken);
}
