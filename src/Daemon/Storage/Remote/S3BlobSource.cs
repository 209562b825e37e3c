using System.Buffers;
using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Streams an S3 object as a series of ranged GETs of one part size each, each bounded by the request timeout.</summary>
/// <remarks>
/// Ranges keep every request short enough for one deadline and let a large download go on where a
/// dropped connection left it, instead of one GET whose duration grows with the blob.
/// </remarks>
internal sealed class S3BlobSource(S3Tier tier, string key, long length, GetObjectResponse first, CancellationTokenSource firstDeadline)
    : RemoteBlobSource(length)
{
    private const int ChunkBytes = 1 << 20;

    private GetObjectResponse? _response = first;
    private CancellationTokenSource? _deadline = firstDeadline;

    public override async IAsyncEnumerable<BlobChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = 0L;
        while (position < Length)
        {
            if (_response is null)
            {
                var end = Math.Min(Length, position + tier.Options.PartSize) - 1;
                _deadline = tier.Deadline(cancellationToken);
                _response = await tier.Client.GetObjectAsync(
                    new GetObjectRequest { BucketName = tier.Bucket, Key = key, ByteRange = new ByteRange(position, end) }, _deadline.Token).ConfigureAwait(false);
            }
            var rangeEnd = position + _response.ContentLength;
            while (position < rangeEnd)
            {
                var size = (int)Math.Min(ChunkBytes, rangeEnd - position);
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                int filled;
                try
                {
                    filled = await FillAsync(_response.ResponseStream, buffer.AsMemory(0, size), _deadline!.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (filled < size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException($"S3 object {key} ended after {position + filled} of {Length} bytes");
                }
                position += filled;
                yield return BlobChunk.FromRented(buffer, filled);
            }
            EndRange();
        }
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private void EndRange()
    {
        _response?.Dispose();
        _response = null;
        _deadline?.Dispose();
        _deadline = null;
    }

    public override ValueTask DisposeAsync()
    {
        EndRange();
        return ValueTask.CompletedTask;
    }
}
