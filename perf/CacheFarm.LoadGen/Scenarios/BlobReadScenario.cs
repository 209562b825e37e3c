using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>blob-read-1m: every iteration reads one preloaded 1 MiB blob, checking its length.</summary>
internal sealed class BlobReadScenario(BlobCorpus corpus) : IScenario
{
    public string Name => ScenarioCatalog.BlobRead1M;

    public ScenarioLimits Limits => ScenarioLimits.None;

    public Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken) =>
        corpus.PreloadAsync(target, cancellationToken);

    public Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken) =>
        user.ReadAsync(target, corpus.Pick(user.Random).Digest, cancellationToken);
}
