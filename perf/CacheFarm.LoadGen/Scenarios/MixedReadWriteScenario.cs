using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>mix-90-10: reads of preloaded 1 MiB blobs with fresh 1 MiB writes mixed in at random.</summary>
internal sealed class MixedReadWriteScenario(BlobCorpus corpus, WorkloadSettings settings, int readPercent) : IScenario
{
    public string Name => ScenarioCatalog.Mix9010;

    public ScenarioLimits Limits => ScenarioLimits.None;

    public Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken) =>
        corpus.PreloadAsync(target, cancellationToken);

    public Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken) =>
        user.Random.Next(100) < readPercent
            ? user.ReadAsync(target, corpus.Pick(user.Random).Digest, cancellationToken)
            : user.WriteFreshAsync(target, settings.BlobBytes, cancellationToken);
}
