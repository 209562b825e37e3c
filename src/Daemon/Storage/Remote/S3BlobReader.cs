using System.Buffers;
using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Reads an S3 object as ranged GETs of one part size each, each bounded by the request timeout.</summary>
/// <remarks>
/// The first part arrives with the open (one round trip for the usual small blob) and is held in a
/// pooled buffer; the rest is fetched as it is read. Ranges keep every request short enough for one
/// deadline, instead of one GET whose duration grows with the blob.
/// </remarks>
internal sealed class S3BlobReader(S3Tier tier, string key, long size, byte[] first, int firstLength) : IBlobReader
{
    private const int ChunkBytes = 1 << 20;

    private byte[]? _first = first;

    public long Size => size;

    /// <summary>GETs the object's first part (all of a small object), or returns null when there is no such object.</summary>
    public static async Task<S3BlobReader?> OpenAsync(S3Tier tier, string key, long expectedSize, CancellationToken cancellationToken)
    {
        var firstRange = Math.Min(expectedSize, tier.Options.PartSize);
        using var deadline = tier.Deadline(cancellationToken);
        var request = new GetObjectRequest { BucketName = tier.Bucket, Key = key };
        if (expectedSize > firstRange)
        {
            request.ByteRange = new ByteRange(0, firstRange - 1);
        }
        using var response = await GetAsync(tier, request, deadline.Token).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }
        var size = TotalLength(response);
        var length = (int)Math.Min(response.ContentLength, firstRange);
        var first = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            var filled = await FillAsync(response.ResponseStream, first.AsMemory(0, length), deadline.Token).ConfigureAwait(false);
            return new S3BlobReader(tier, key, size, first, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(first);
            throw;
        }
    }

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = Math.Min(Size, offset + Math.Max(0, length));
        var position = offset;
        if (position < firstLength && position < end)
        {
            var take = (int)(Math.Min(end, firstLength) - position);
            if (position == 0 && take == firstLength && Interlocked.Exchange(ref _first, null) is { } owned)
            {
                yield return BlobChunk.FromRented(owned, take);
            }
            else
            {
                var first = Volatile.Read(ref _first) ?? throw new BlobUnavailableException($"S3 object {key}: its first part was handed over by an earlier read");
                var copy = ArrayPool<byte>.Shared.Rent(take);
                first.AsSpan((int)position, take).CopyTo(copy);
                yield return BlobChunk.FromRented(copy, take);
            }
            position += take;
        }
        while (position < end)
        {
            var rangeEnd = Math.Min(end, position + tier.Options.PartSize);
            using var deadline = tier.Deadline(cancellationToken);
            using var response = await tier.Client.GetObjectAsync(
                new GetObjectRequest { BucketName = tier.Bucket, Key = key, ByteRange = new ByteRange(position, rangeEnd - 1) }, deadline.Token).ConfigureAwait(false);
            while (position < rangeEnd)
            {
                var size = (int)Math.Min(ChunkBytes, rangeEnd - position);
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                int filled;
                try
                {
                    filled = await FillAsync(response.ResponseStream, buffer.AsMemory(0, size), deadline.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (filled < size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException($"S3 object {key} ended after {position + filled} of {Size} bytes");
                }
                position += filled;
                yield return BlobChunk.FromRented(buffer, filled);
            }
        }
    }

    private static async Task<GetObjectResponse?> GetAsync(S3Tier tier, GetObjectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await tier.Client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return null;
        }
    }

    private static long TotalLength(GetObjectResponse response)
    {
        // "bytes 0-8388607/209715200": the total is after the slash.
        if (response.ContentRange is { } range && range.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(range.AsSpan(slash + 1), out var total))
        {
            return total;
        }
        return response.ContentLength;
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
}
