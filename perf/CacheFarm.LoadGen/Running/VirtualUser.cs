using System.Security.Cryptography;
using CacheFarm.LoadGen.Targets;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.Wire;

namespace CacheFarm.LoadGen.Running;

/// <summary>One simulated client: its random choices, its reusable buffers and its tally.</summary>
internal sealed class VirtualUser : IDisposable
{
    private readonly ulong _freshSeedBase;
    private ulong _freshCount;
    private byte[]? _freshBuffer;

    public VirtualUser(bool verifyReads, ErrorSamples errors)
    {
        // Random per run, so a fresh blob is never one a previous run already stored.
        _freshSeedBase = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        ReadCheck = new BlobReadCheck(verifyReads);
        Recorder = new OperationRecorder(errors);
    }

    public Random Random { get; } = new();

    public BlobReadCheck ReadCheck { get; }

    public OperationRecorder Recorder { get; private set; }

    /// <summary>Forgets the warm-up's tally.</summary>
    public void StartMeasuring(ErrorSamples errors) => Recorder = new OperationRecorder(errors);

    public ulong NextFreshSeed() => SplitMixContent.Derive(_freshSeedBase, 0, _freshCount++);

    /// <summary>Reads a blob, timing it and checking its length (and hash with --verify).</summary>
    public Task<bool> ReadAsync(ICacheTarget target, ContentDigest digest, CancellationToken cancellationToken) =>
        Recorder.MeasureAsync(OperationKind.Read, async () =>
        {
            ReadCheck.Begin(digest);
            await target.ReadBlobAsync(digest, ReadCheck, cancellationToken);
            ReadCheck.EnsureMatches(digest);
            return ReadCheck.Length;
        }, cancellationToken);

    /// <summary>Writes a fresh random blob; generating and hashing it happen before the clock starts.</summary>
    public Task<bool> WriteFreshAsync(ICacheTarget target, int size, CancellationToken cancellationToken)
    {
        if (_freshBuffer?.Length != size)
        {
            _freshBuffer = GC.AllocateUninitializedArray<byte>(size);
        }
        var payload = MemoryBlobPayload.Generate(_freshBuffer, NextFreshSeed());
        return Recorder.MeasureAsync(OperationKind.Write, async () =>
        {
            await target.WriteBlobAsync(payload, cancellationToken);
            return size;
        }, cancellationToken);
    }

    public void Dispose() => ReadCheck.Dispose();
}
