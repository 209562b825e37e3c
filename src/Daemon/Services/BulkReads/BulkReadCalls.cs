using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Services.FastPath;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.BulkReads;

/// <summary>Answers bulk-read calls through the same code as their gRPC twins, writing each answer straight into the connection's pipe; accounted as gRPC's are (<see cref="FrameCallAccounting"/>).</summary>
internal sealed class BulkReadCalls(BlobStreamReads streamReads, EntryReads entries, MissingBlobs missingBlobs, BatchBlobReads batchReads, FrameCallAccounting accounting)
{
    private static readonly string[] MethodNames = FrameCallAccounting.MethodNames<BulkReadOp>("BulkRead");

    /// <summary>Writes the answer to one call (a blob's bytes are sent as they are read); false when the connection must close (a blob broke after its header went out).</summary>
    public async Task<bool> AnswerAsync(BulkReadOp op, ReadOnlyMemory<byte> payload, TokenGrant? grant, PipeWriter output, CancellationToken cancellationToken)
    {
        var start = accounting.Begin();
        var status = StatusCode.OK;
        try
        {
            accounting.EnsureReady();
            if (grant?.RateLimiter is { } limiter && !limiter.TryAcquire())
            {
                throw new RequestRefusedException(Refusal.Forbidden, $"token '{grant.Name}' is over its request rate");
            }
            if (op == BulkReadOp.ReadBlob)
            {
                var request = ReadBlobRequest.Parser.ParseFrom(payload.Span);
                await streamReads.StreamAsync(RequestArguments.Namespace(request.Namespace, grant), request, new PipeSink(output), cancellationToken).ConfigureAwait(false);
                return true;
            }
            var answer = await RunAsync(op, payload, grant, cancellationToken).ConfigureAwait(false);
            FastPathFrames.WriteAnswerHeader(output, answer.CalculateSize(), StatusCode.OK);
            answer.WriteTo(output);
            return true;
        }
        catch (RequestRefusedException e)
        {
            status = e.Refusal.Code();
            FastPathFrames.WriteAnswer(output, status, Encoding.UTF8.GetBytes(e.Message));
            return true;
        }
        catch (InvalidProtocolBufferException e)
        {
            status = StatusCode.InvalidArgument;
            FastPathFrames.WriteAnswer(output, status, Encoding.UTF8.GetBytes("malformed message: " + e.Message));
            return true;
        }
        catch (BlobDataLostException)
        {
            status = StatusCode.DataLoss;
            return false;
        }
        finally
        {
            accounting.End(start, MethodNames[(byte)op], status, RequestCounter.BulkReadCalls);
        }
    }

    private async Task<IMessage> RunAsync(BulkReadOp op, ReadOnlyMemory<byte> payload, TokenGrant? grant, CancellationToken cancellationToken)
    {
        switch (op)
        {
            case BulkReadOp.GetEntry:
                var get = GetEntryRequest.Parser.ParseFrom(payload.Span);
                return await entries.GetCompleteAsync(RequestArguments.Namespace(get.Namespace, grant), RequestArguments.EntryKey(get.Key), get.Key, get.WorkingSet, cancellationToken).ConfigureAwait(false);
            case BulkReadOp.FindMissingBlobs:
                var find = FindMissingBlobsRequest.Parser.ParseFrom(payload.Span);
                return await missingBlobs.FindAsync(RequestArguments.Namespace(find.Namespace, grant), find.Digests, cancellationToken).ConfigureAwait(false);
            case BulkReadOp.BatchReadBlobs:
                var batch = BatchReadBlobsRequest.Parser.ParseFrom(payload.Span);
                return await batchReads.ReadAsync(RequestArguments.Namespace(batch.Namespace, grant), batch.Digests, cancellationToken).ConfigureAwait(false);
            default:
                throw new RequestRefusedException(Refusal.Unsupported, $"unknown bulk-read call {(byte)op}");
        }
    }

    // The blob's bytes go into the pipe as they are read; each flush waits while the client is behind, so a slow reader holds one chunk, not the blob.
    private sealed class PipeSink(PipeWriter output) : IBlobStreamSink
    {
        public ValueTask StartAsync(long length, CancellationToken cancellationToken)
        {
            FastPathFrames.WriteAnswerHeader(output, length, StatusCode.OK);
            return ValueTask.CompletedTask;
        }

        public async ValueTask WriteAsync(BlobChunk chunk, CancellationToken cancellationToken)
        {
            using (chunk)
            {
                output.Write(chunk.Data.Span);
            }
            var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                throw new IOException("the bulk-read client went away mid-blob");
            }
        }
    }
}
