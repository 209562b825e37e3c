using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Blobs and entries in an S3 bucket (AWS or S3-compatible), every request bounded by the tier's timeout.</summary>
internal sealed class S3Tier : IRemoteTier
{
    private readonly S3KeyLayout _keys;

    public S3Tier(S3TierOptions options)
    {
        Options = options;
        _keys = new S3KeyLayout(options.KeyPrefix);
        Client = S3ClientFactory.Create(options);
    }

    internal S3TierOptions Options { get; }

    internal AmazonS3Client Client { get; }

    internal string Bucket => Options.Bucket!;

    public string Name => "s3";

    public long MaxBlobSize => (long)Options.PartSize * S3TierOptions.MaxParts;

    // HTTP has no standing connection to lose: S3 trouble shows only in failed requests.
    public bool IsDisconnected => false;

    public async Task<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            var head = await Client.GetObjectMetadataAsync(Bucket, _keys.Blob(ns, digest), deadline.Token).ConfigureAwait(false);
            return head.ContentLength == digest.Size;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<RemoteBlobSource?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var key = _keys.Blob(ns, digest);
        var firstRange = Math.Min(digest.Size, Options.PartSize);
        var deadline = Deadline(cancellationToken);
        try
        {
            var request = new GetObjectRequest { BucketName = Bucket, Key = key };
            if (digest.Size > firstRange)
            {
                request.ByteRange = new ByteRange(0, firstRange - 1);
            }
            var response = await Client.GetObjectAsync(request, deadline.Token).ConfigureAwait(false);
            var total = TotalLength(response);
            return new S3BlobSource(this, key, total, response, deadline);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            deadline.Dispose();
            return null;
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    public IBlobWriter BeginBlobWrite(NamespaceId ns, ContentDigest digest) =>
        digest.Size > MaxBlobSize
            ? throw new StorageFullException($"blob of {digest.Size} bytes exceeds the S3 tier's limit of {MaxBlobSize} bytes ({S3TierOptions.MaxParts} parts)")
            : new S3BlobWriter(this, _keys.Blob(ns, digest));

    public async Task DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await Client.DeleteObjectAsync(Bucket, _keys.Blob(ns, digest), deadline.Token).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            using var response = await Client.GetObjectAsync(Bucket, _keys.Entry(ns, key.Span), deadline.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream(response.ContentLength is > 0 and < int.MaxValue ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, deadline.Token).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await PutObjectAsync(_keys.Entry(ns, key.Span), envelope.ToArray(), envelope.Length, deadline.Token).ConfigureAwait(false);
    }

    internal Task PutObjectAsync(string key, byte[] data, int length, CancellationToken cancellationToken) =>
        Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new MemoryStream(data, 0, length, writable: false),
            // aws-chunked bodies are stored verbatim by some S3-compatible servers (s3rver).
            UseChunkEncoding = false,
        }, cancellationToken);

    /// <summary>A token that ends with the caller's or after one request's timeout.</summary>
    internal CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(Options.Timeout);
        return source;
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

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
