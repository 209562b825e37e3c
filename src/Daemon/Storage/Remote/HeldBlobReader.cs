using System.Runtime.CompilerServices;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>A blob a remote tier fetched whole with its open (one Redis GET, one item of a batch), held until a read takes it.</summary>
internal sealed class HeldBlobReader(BlobChunk whole) : IBlobReader
{
    private readonly HeldBlobBytes _value = new(whole);

    public long Size => _value.Length;

#pragma warning disable CS1998 // The value is already here; the stream is only its hand-over.
    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = BlobRange.End(Size, offset, length);
        if (end > offset)
        {
            yield return _value.Slice((int)offset, (int)(end - offset));
        }
    }
#pragma warning restore CS1998

    public void Dispose() => _value.Dispose();
}
