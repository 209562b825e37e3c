using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Running;
using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;

namespace CacheFarm.LoadGen.Scenarios;

/// <summary>entry-hit: GetEntry of preloaded ~4 KiB entries whose output blobs are all present.</summary>
internal sealed class EntryHitScenario : IScenario
{
    private const ulong OutputStream = 3;
    private const int OutputBlobs = 16;
    private const int OutputsPerEntry = 4;
    private const int OutputBlobBytes = 2048;

    private readonly GeneratedBlobPayload[] _outputs;
    private readonly string[] _keys;
    private readonly Entry[] _entries;

    public EntryHitScenario(WorkloadSettings settings)
    {
        _outputs = Enumerable.Range(0, OutputBlobs)
            .Select(i => GeneratedBlobPayload.Create(SplitMixContent.Derive(settings.Seed, OutputStream, (ulong)i), OutputBlobBytes))
            .ToArray();
        _keys = Enumerable.Range(0, settings.Entries).Select(i => EntryFactory.Key(settings.Seed, i)).ToArray();
        _entries = Enumerable.Range(0, settings.Entries)
            .Select(i => EntryFactory.Build(
                i,
                Enumerable.Range(0, OutputsPerEntry).Select(j => _outputs[(i + j) % OutputBlobs].Digest).ToList(),
                settings.EntryBytes))
            .ToArray();
    }

    public string Name => ScenarioCatalog.EntryHit;

    public ScenarioLimits Limits => ScenarioLimits.None;

    public async Task PrepareAsync(ICacheTarget target, CancellationToken cancellationToken)
    {
        // The daemon refuses an entry whose outputs are missing, so the blobs go first.
        await BlobPreloader.EnsurePresentAsync(target, _outputs, cancellationToken);
        for (var i = 0; i < _keys.Length; i++)
        {
            await target.PutEntryAsync(_keys[i], _entries[i], cancellationToken);
        }
    }

    public Task RunIterationAsync(ICacheTarget target, VirtualUser user, CancellationToken cancellationToken)
    {
        var key = _keys[user.Random.Next(_keys.Length)];
        return user.Recorder.MeasureAsync(
            OperationKind.GetEntry,
            async () => await target.GetEntryAsync(key, cancellationToken),
            cancellationToken);
    }
}
