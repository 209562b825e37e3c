using System.Buffers;
using Amazon.S3.Model;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Uploads a blob as it streams in: one PUT when it fits a part, else a multipart upload completed only on commit.</summary>
/// <remarks>
/// Two part buffers: one fills while the other uploads. A part whose upload failed or timed out is
/// not returned to the pool, because the SDK may still be reading it.
/// </remarks>
internal sealed class S3BlobWriter(S3Tier tier, string key) : IBlobWriter
{
    private readonly List<PartETag> _parts = [];
    private byte[]? _filling;
    private int _filled;
    private byte[]? _spare;
    private Task? _uploading;
    private string? _uploadId;
    private bool _completed;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            _filling ??= ArrayPool<byte>.Shared.Rent(tier.Options.PartSize);
            var take = Math.Min(tier.Options.PartSize - _filled, data.Length);
            data.Span[..take].CopyTo(_filling.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == tier.Options.PartSize)
            {
                await StartPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var deadline = tier.Deadline(cancellationToken);
            await tier.PutObjectAsync(key, _filling ?? [], _filled, deadline.Token).ConfigureAwait(false);
            _completed = true;
            return;
        }
        if (_filled > 0)
        {
            await StartPartAsync(cancellationToken).ConfigureAwait(false);
        }
        await WaitForPartAsync().ConfigureAwait(false);
        using (var deadline = tier.Deadline(cancellationToken))
        {
            await tier.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = tier.Bucket,
                Key = key,
                UploadId = _uploadId,
                PartETags = _parts,
            }, deadline.Token).ConfigureAwait(false);
        }
        _completed = true;
    }

    private async Task StartPartAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var deadline = tier.Deadline(cancellationToken);
            var started = await tier.Client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = tier.Bucket, Key = key }, deadline.Token).ConfigureAwait(false);
            _uploadId = started.UploadId;
        }
        await WaitForPartAsync().ConfigureAwait(false);
        var part = _filling!;
        var length = _filled;
        var number = _parts.Count + 1;
        _filling = _spare;
        _spare = null;
        _filled = 0;
        _parts.Add(new PartETag(number, ""));
        _uploading = UploadPartAsync(part, length, number, cancellationToken);
    }

    private async Task UploadPartAsync(byte[] part, int length, int number, CancellationToken cancellationToken)
    {
        using var deadline = tier.Deadline(cancellationToken);
        var response = await tier.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = tier.Bucket,
            Key = key,
            UploadId = _uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(part, 0, length, writable: false),
            UseChunkEncoding = false,
        }, deadline.Token).ConfigureAwait(false);
        _parts[number - 1] = new PartETag(number, response.ETag);
        _spare = part;
    }

    private async Task WaitForPartAsync()
    {
        if (_uploading is { } uploading)
        {
            _uploading = null;
            await uploading.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_uploading is { } uploading)
        {
            // Only to observe it: a failed part fails the upload, which is aborted below.
            await uploading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
        if (_uploadId is not null && !_completed)
        {
            try
            {
                using var deadline = tier.Deadline(CancellationToken.None);
                await tier.Client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = tier.Bucket, Key = key, UploadId = _uploadId }, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Best effort: a bucket lifecycle rule cleans up uploads nobody completes.
            }
        }
        Return(ref _filling);
        Return(ref _spare);
    }

    private static void Return(ref byte[]? buffer)
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
