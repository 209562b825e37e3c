using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>blob-large: write a fresh 100 MiB blob as a stream, then read it back; a few iterations per user.</summary>
/// <remarks>
/// The blob is never in memory whole: it is generated once to hash it (the digest goes first on the
/// wire) and again, chunk by chunk, while it is sent; the read side only counts (and optionally hashes).
/// </remarks>
internal sealed class LargeBlobScenario(WorkloadSettings settings) : IScenario
{
    public string Name => ScenarioCatalog.BlobLarge;

    // One warm-up iteration already moves 200 MiB per user.
    public ScenarioLimits Limits => new(settings.LargeConcurrency, 1, settings.LargeIterations);

    public Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken)
    {
        var payload = GeneratedBlobPayload.Create(user.NextFreshSeed(), (long)settings.LargeBlobMiB * WorkloadSettings.MiB);
        var written = await user.Recorder.MeasureAsync(OperationKind.Write, async () =>
        {
            await target.WriteBlobAsync(payload, cancellationToken);
            return payload.Digest.Size;
        }, cancellationToken);
        // Reading back a blob whose write failed would only count the same failure twice.
        if (written)
        {
            await user.ReadAsync(target, payload.Digest, cancellationToken);
        }
    }
}
