using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>find-missing: batches of digests, half of them preloaded and half never written; the answer is checked.</summary>
internal sealed class FindMissingScenario : IScenario
{
    private const ulong PresentStream = 2;
    private const int PresentBlobBytes = 1024;

    private readonly int _batch;
    private readonly GeneratedBlobPayload[] _present;

    public FindMissingScenario(WorkloadSettings settings)
    {
        _batch = settings.FindMissingBatch;
        // Several times the batch, so each batch asks about a different mix of present blobs.
        _present = Enumerable.Range(0, Math.Max(512, settings.FindMissingBatch * 4))
            .Select(i => GeneratedBlobPayload.Create(SplitMixContent.Derive(settings.Seed, PresentStream, (ulong)i), PresentBlobBytes))
            .ToArray();
    }

    public string Name => ScenarioCatalog.FindMissing;

    public ScenarioLimits Limits => ScenarioLimits.None;

    public Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken) =>
        BlobPreloader.EnsurePresentAsync(target, _present, cancellationToken);

    public Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken)
    {
        var presentCount = _batch / 2;
        var digests = new List<ContentDigest>(_batch);
        for (var i = 0; i < _batch; i++)
        {
            digests.Add(i < presentCount ? _present[user.Random.Next(_present.Length)].Digest : NeverWritten(user.Random));
        }
        return user.Recorder.MeasureAsync(OperationKind.FindMissing, async () =>
        {
            var missing = await target.FindMissingAsync(digests, cancellationToken);
            return missing.Count == _batch - presentCount
                ? 0
                : throw new BlobMismatchException($"FindMissing reported {missing.Count} of {_batch} missing, expected {_batch - presentCount}");
        }, cancellationToken);
    }

    private static ContentDigest NeverWritten(Random random)
    {
        Span<byte> hash = stackalloc byte[ContentDigest.HashBytes];
        random.NextBytes(hash);
        return ContentDigest.FromHash(hash, PresentBlobBytes);
    }
}
