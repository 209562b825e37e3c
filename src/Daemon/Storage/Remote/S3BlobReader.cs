using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Reads an S3 object as ranged GETs of one part size each, each bounded by the request timeout.</summary>
/// <remarks>
/// The first part arrives with the open (one round trip for the usual small blob) and is held in a
/// pooled buffer; the rest is fetched as it is read. Ranges keep every request short enough for one
/// deadline, instead of one GET whose duration grows with the blob.
/// </remarks>
internal sealed class S3BlobReader(S3Tier tier, string key, long size, HeldBlobBytes first) : IBlobReader
{
    private const int ChunkBytes = 1 << 20;

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
        GetObjectResponse response;
        try
        {
            response = await tier.Client.GetObjectAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return null;
        }
        using (response)
        {
            var length = (int)Math.Min(response.ContentLength, firstRange);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            try
            {
                var filled = await response.ResponseStream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, deadline.Token).ConfigureAwait(false);
                return new S3BlobReader(tier, key, TotalLength(response), new HeldBlobBytes(BlobChunk.FromRented(buffer, filled)));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    public async IAsyncEnumerable<BlobChunk> ReadAsync(long offset, long length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var end = BlobRange.End(Size, offset, length);
        var position = offset;
        if (position < first.Length && position < end)
        {
            var take = (int)(Math.Min(end, first.Length) - position);
            yield return first.Slice((int)position, take);
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
                var take = (int)Math.Min(ChunkBytes, rangeEnd - position);
                var buffer = ArrayPool<byte>.Shared.Rent(take);
                int filled;
                try
                {
                    filled = await response.ResponseStream.ReadAtLeastAsync(buffer.AsMemory(0, take), take, throwOnEndOfStream: false, deadline.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (filled < take)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException($"S3 object {key} ended after {position + filled} of {Size} bytes");
                }
                position += filled;
                yield return BlobChunk.FromRented(buffer, filled);
            }
        }
    }

    public void Dispose() => first.Dispose();

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
}
