using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>The preloaded 1 MiB blobs that reads draw from; only seeds and digests stay in memory.</summary>
internal sealed class BlobCorpus
{
    private const ulong CorpusStream = 1;

    private readonly GeneratedBlobPayload[] _blobs;

    private BlobCorpus(GeneratedBlobPayload[] blobs)
    {
        _blobs = blobs;
    }

    public static BlobCorpus Create(WorkloadSettings settings) => new(
        Enumerable.Range(0, settings.CorpusBlobs)
            .Select(i => GeneratedBlobPayload.Create(SplitMixContent.Derive(settings.Seed, CorpusStream, (ulong)i), settings.BlobBytes))
            .ToArray());

    public GeneratedBlobPayload Pick(Random random) => _blobs[random.Next(_blobs.Length)];

    public Task PreloadAsync(ICacheTarget target, CancellationToken cancellationToken) =>
        BlobPreloader.EnsurePresentAsync(target, _blobs, cancellationToken);
}
