using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Blobs and entries in an S3 bucket (AWS or S3-compatible), every request bounded by the tier's timeout.</summary>
internal sealed class S3Tier : ICacheTier
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

    public bool TrustedReads => false;

    // HTTP has no standing connection to lose: S3 trouble shows only in failed requests.
    public bool IsDisconnected => false;

    public async ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
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

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        await S3BlobReader.OpenAsync(this, _keys.Blob(ns, digest), digest.Size, cancellationToken).ConfigureAwait(false);

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken) =>
        digest.Size > MaxBlobSize
            ? throw new StorageFullException($"blob of {digest.Size} bytes exceeds the S3 tier's limit of {MaxBlobSize} bytes ({S3TierOptions.MaxParts} parts)")
            : ValueTask.FromResult<IBlobWriter>(new S3BlobWriter(this, _keys.Blob(ns, digest)));

    public async ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await Client.DeleteObjectAsync(Bucket, _keys.Blob(ns, digest), deadline.Token).ConfigureAwait(false);
    }

    public async ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await Client.DeleteObjectAsync(Bucket, _keys.Entry(ns, key.Span), deadline.Token).ConfigureAwait(false);
    }

    public async ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
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

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await PutObjectAsync(_keys.Entry(ns, key.Span), entry.ToArray(), entry.Length, deadline.Token).ConfigureAwait(false);
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

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
