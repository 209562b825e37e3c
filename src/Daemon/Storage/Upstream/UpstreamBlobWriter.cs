using System.Buffers;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Storage.Upstream;

/// <summary>Streams a blob to the upstream daemon as it is appended; the upstream verifies and commits it when the stream completes.</summary>
/// <remarks>Disposing without commit cancels the stream, so the upstream discards what it received.</remarks>
internal sealed class UpstreamBlobWriter(UpstreamTier tier, AsyncClientStreamingCall<WriteBlobFrame, WriteBlobResponse> call, string ns, ContentDigest digest) : IBlobWriter
{
    // Frames stay well under the channel's message limit whatever size of chunk the caller appends.
    private const int FrameBytes = 1 << 20;
    private bool _sentFirst;
    // The upstream answered early: it already holds the blob and stopped reading.
    private bool _answered;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty && !_answered)
        {
            var take = Math.Min(FrameBytes, data.Length);
            // The caller may reuse its buffer once this returns; the marshaller returns the copy after sending it.
            var copy = ArrayPool<byte>.Shared.Rent(take);
            data.Span[..take].CopyTo(copy);
            await WriteAsync(BlobChunk.FromRented(copy, take), cancellationToken).ConfigureAwait(false);
            data = data[take..];
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (!_sentFirst)
        {
            await WriteAsync(BlobChunk.Empty, cancellationToken).ConfigureAwait(false);
        }
        if (_answered)
        {
            return;
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        await tier.AnswerAsync(call.ResponseAsync, cancellationToken, write: true).ConfigureAwait(false);
    }

    private async Task WriteAsync(BlobChunk chunk, CancellationToken cancellationToken)
    {
        var frame = _sentFirst ? new WriteBlobFrame(null, null, chunk) : new WriteBlobFrame(ns, digest.ToProto(), chunk);
        _sentFirst = true;
        try
        {
            await call.RequestStream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The upstream answered before taking every byte: present already (a success) or refused (thrown here).
            await tier.AnswerAsync(call.ResponseAsync, cancellationToken, write: true).ConfigureAwait(false);
            _answered = true;
        }
    }

    /// <summary>Cancels the stream unless it completed, so an uncommitted blob is never stored upstream.</summary>
    public ValueTask DisposeAsync()
    {
        call.Dispose();
        return ValueTask.CompletedTask;
    }
}
