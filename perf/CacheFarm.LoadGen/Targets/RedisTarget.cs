using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Workload;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using StackExchange.Redis;

namespace CacheFarm.LoadGen.Targets;

/// <summary>
/// redis-server through StackExchange.Redis, the baseline: GET via <c>StringGetLeaseAsync</c> (pooled,
/// like the daemon's chunks), SET for writes, pipelined EXISTS for find-missing.
/// </summary>
/// <remarks>
/// StackExchange.Redis calls take no cancellation token; each is bounded by <c>AsyncTimeout</c>,
/// which is set to the operation timeout.
/// </remarks>
internal sealed class RedisTarget : ICacheTarget
{
    // Bounds how many of the keys written in one run are deleted per DEL command.
    private const int DeleteBatch = 512;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly RedisKeyLayout _keys;
    private readonly RedisSplitBlobTransfer _split;
    // Redis keeps every fresh write until told otherwise; these are deleted after each run.
    private readonly ConcurrentQueue<RedisKey> _written = new();

    private RedisTarget(TargetSpec spec, ConnectionMultiplexer connection, RedisKeyLayout keys)
    {
        Spec = spec;
        _connection = connection;
        _database = connection.GetDatabase();
        _keys = keys;
        _split = new RedisSplitBlobTransfer(_database, keys);
    }

    public TargetSpec Spec { get; }

    public static async Task<RedisTarget> ConnectAsync(TargetSpec spec, string @namespace, TimeSpan operationTimeout)
    {
        var timeoutMs = (int)Math.Min(int.MaxValue, operationTimeout.TotalMilliseconds);
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            AsyncTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            ClientName = "cachefarm-loadgen",
            // StackExchange.Redis counts INFO as an admin command; it is the only one used here (server pid).
            AllowAdmin = true,
        };
        configuration.EndPoints.Add(ToEndPoint(spec.Endpoint));
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        return new RedisTarget(spec, connection, new RedisKeyLayout(@namespace));
    }

    public async Task ReadBlobAsync(ContentDigest digest, BlobReadCheck check, CancellationToken cancellationToken)
    {
        if (RedisKeyLayout.IsSplit(digest))
        {
            await _split.ReadAsync(digest, check);
            return;
        }
        using var lease = await _database.StringGetLeaseAsync(_keys.Blob(digest))
            ?? throw new BlobMismatchException($"blob {digest.Hex} is not in redis");
        check.Append(lease.Span);
    }

    public async Task WriteBlobAsync(IBlobPayload payload, CancellationToken cancellationToken)
    {
        var digest = payload.Digest;
        if (RedisKeyLayout.IsSplit(digest))
        {
            await _split.WriteAsync(payload, _written);
            return;
        }
        if (!payload.TryGetMemory(out var memory))
        {
            // Small generated blobs (preloads) are materialised; they are at most 1 MiB.
            var bytes = new byte[digest.Size];
            payload.CopyTo(0, bytes);
            memory = bytes;
        }
        var key = _keys.Blob(digest);
        await _database.StringSetAsync(key, memory);
        _written.Enqueue(key);
    }

    public async Task<IReadOnlyList<ContentDigest>> FindMissingAsync(
        IReadOnlyList<ContentDigest> digests, CancellationToken cancellationToken)
    {
        // One EXISTS per digest, sent together: the variadic EXISTS only counts, it cannot say which are missing.
        var batch = _database.CreateBatch();
        var exists = new Task<bool>[digests.Count];
        for (var i = 0; i < exists.Length; i++)
        {
            exists[i] = batch.KeyExistsAsync(_keys.Presence(digests[i]));
        }
        batch.Execute();
        await Task.WhenAll(exists);
        var missing = new List<ContentDigest>();
        for (var i = 0; i < exists.Length; i++)
        {
            if (!await exists[i])
            {
                missing.Add(digests[i]);
            }
        }
        return missing;
    }

    public async Task<int> GetEntryAsync(string key, CancellationToken cancellationToken)
    {
        using var lease = await _database.StringGetLeaseAsync(_keys.Entry(key))
            ?? throw new BlobMismatchException($"entry {key} is not in redis");
        // Parsed like the gRPC client parses GetEntry's answer, so both sides pay for decoding.
        Entry.Parser.ParseFrom(lease.Span);
        return lease.Length;
    }

    public async Task PutEntryAsync(string key, Entry entry, CancellationToken cancellationToken) =>
        await _database.StringSetAsync(_keys.Entry(key), entry.ToByteArray());

    public async Task DiscardWrittenBlobsAsync(CancellationToken cancellationToken)
    {
        var batches = (_written.Count / DeleteBatch) + 1;
        var keys = new List<RedisKey>(DeleteBatch);
        for (var i = 0; i < batches && !_written.IsEmpty; i++)
        {
            keys.Clear();
            while (keys.Count < DeleteBatch && _written.TryDequeue(out var key))
            {
                keys.Add(key);
            }
            await _database.KeyDeleteAsync([.. keys]);
        }
    }

    public async Task<int?> QueryServerPidAsync(CancellationToken cancellationToken)
    {
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var sections = await server.InfoAsync("server");
        var processId = sections.SelectMany(section => section)
            .FirstOrDefault(pair => pair.Key == "process_id").Value;
        return int.TryParse(processId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static EndPoint ToEndPoint(LoopbackEndpoint endpoint) =>
        endpoint.UnixSocketPath is { } path ? new UnixDomainSocketEndPoint(path)
        : IPAddress.TryParse(endpoint.Host, out var address) ? new IPEndPoint(address, endpoint.Port)
        : new DnsEndPoint(endpoint.Host, endpoint.Port);
}
