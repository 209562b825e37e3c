using System.Buffers;
using System.Collections.Concurrent;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.Wire;
using StackExchange.Redis;

namespace CacheFarm.LoadGen.Targets;

/// <summary>Moves a blob larger than 1 MiB as 1 MiB part keys, a few parts in flight at a time.</summary>
/// <remarks>
/// Keeping <see cref="PartsInFlight"/> commands outstanding hides the per-command round trip the way
/// HTTP/2 flow control lets a gRPC stream run ahead, while bounding memory to that many parts.
/// </remarks>
internal sealed class RedisSplitBlobTransfer(IDatabase database, RedisKeyLayout keys)
{
    private const int PartsInFlight = 4;

    public async Task WriteAsync(IBlobPayload payload, ConcurrentQueue<RedisKey> written)
    {
        var digest = payload.Digest;
        var parts = RedisKeyLayout.PartCount(digest);
        var inFlight = new Queue<(Task Set, byte[] Buffer)>(PartsInFlight);
        try
        {
            for (var part = 0; part < parts; part++)
            {
                if (inFlight.Count == PartsInFlight)
                {
                    await CompleteOldestAsync(inFlight);
                }
                var offset = (long)part * RedisKeyLayout.PartBytes;
                var length = (int)Math.Min(RedisKeyLayout.PartBytes, digest.Size - offset);
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                payload.CopyTo(offset, buffer.AsSpan(0, length));
                var key = keys.Part(digest, part);
                inFlight.Enqueue((database.StringSetAsync(key, buffer.AsMemory(0, length)), buffer));
                written.Enqueue(key);
            }
            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync(inFlight);
            }
        }
        finally
        {
            await AbandonWritesAsync(inFlight);
        }
    }

    public async Task ReadAsync(ContentDigest digest, BlobReadCheck check)
    {
        var parts = RedisKeyLayout.PartCount(digest);
        var inFlight = new Queue<Task<Lease<byte>?>>(PartsInFlight);
        try
        {
            for (var part = 0; part < parts; part++)
            {
                inFlight.Enqueue(database.StringGetLeaseAsync(keys.Part(digest, part)));
                if (inFlight.Count == PartsInFlight)
                {
                    await ConsumeOldestAsync(inFlight, digest, check);
                }
            }
            while (inFlight.Count > 0)
            {
                await ConsumeOldestAsync(inFlight, digest, check);
            }
        }
        finally
        {
            await AbandonReadsAsync(inFlight);
        }
    }

    private static async Task CompleteOldestAsync(Queue<(Task Set, byte[] Buffer)> inFlight)
    {
        var (set, buffer) = inFlight.Peek();
        await set;
        inFlight.Dequeue();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static async Task ConsumeOldestAsync(Queue<Task<Lease<byte>?>> inFlight, ContentDigest digest, BlobReadCheck check)
    {
        using var lease = await inFlight.Dequeue() ?? throw new BlobMismatchException($"a part of blob {digest.Hex} is not in redis");
        check.Append(lease.Span);
    }

    /// <summary>After a failure, lets the SETs still in flight finish so their buffers can go back to the pool.</summary>
    private static async Task AbandonWritesAsync(Queue<(Task Set, byte[] Buffer)> inFlight)
    {
        while (inFlight.TryDequeue(out var item))
        {
            await FinishQuietlyAsync(item.Set);
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }

    /// <summary>After a failure, lets the GETs still in flight finish so their leases can be released.</summary>
    private static async Task AbandonReadsAsync(Queue<Task<Lease<byte>?>> inFlight)
    {
        while (inFlight.TryDequeue(out var read))
        {
            await FinishQuietlyAsync(read);
            if (read.IsCompletedSuccessfully)
            {
                (await read)?.Dispose();
            }
        }
    }

    private static async Task FinishQuietlyAsync(Task command)
    {
        try
        {
            await command;
        }
        catch (Exception)
        {
            // The first failure is already propagating; the others only need to have finished.
        }
    }
}
