using CacheFarm.Protos.Wire;
using StackExchange.Redis;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Entries and small blobs in Redis (standalone or cluster), each command bounded by the tier's timeout.</summary>
internal sealed class RedisTier : ICacheTier
{
    private readonly RedisTierOptions _options;
    private readonly RedisKeyLayout _keys;
    private readonly Task<ConnectionMultiplexer> _connection;

    public RedisTier(RedisTierOptions options)
    {
        _options = options;
        _keys = new RedisKeyLayout(options.KeyPrefix);
        var config = RedisConnectionString.Parse(options.Endpoint!);
        config.User = options.User ?? config.User;
        config.Password = options.Password ?? config.Password;
        config.DefaultDatabase = options.Database ?? config.DefaultDatabase;
        if (options.CaFile is { } ca)
        {
            // Trusts that CA for the Redis connection only, not for the daemon's other TLS.
            config.TrustIssuer(ca);
        }
        var timeoutMs = (int)options.Timeout.TotalMilliseconds;
        // Never wait for Redis at startup, never queue commands while it is away: a cache that is
        // down must cost a build nothing but a fast miss.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = timeoutMs;
        config.AsyncTimeout = timeoutMs;
        config.SyncTimeout = timeoutMs;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        config.ClientName = "cachefarmd";
        _connection = ConnectionMultiplexer.ConnectAsync(config);
    }

    public string Name => "redis";

    public long MaxBlobSize => _options.MaxBlobSize;

    public bool TrustedReads => false;

    public bool IsDisconnected => !_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected;

    public async ValueTask<bool> ContainsBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await db.KeyExistsAsync(_keys.Blob(ns, digest)).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IBlobReader?> OpenBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var key = _keys.Blob(ns, digest);
        var lease = await db.StringGetLeaseAsync(key).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return null;
        }
        RefreshTtl(db, key);
        return new HeldBlobReader(BlobChunk.FromOwner(lease, 0, lease.Length));
    }

    public ValueTask<IBlobWriter> BeginBlobWriteAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        if (digest.Size > MaxBlobSize)
        {
            throw new StorageFullException($"blob of {digest.Size} bytes exceeds the Redis tier's limit of {MaxBlobSize} bytes");
        }
        return ValueTask.FromResult<IBlobWriter>(new RedisBlobWriter(this, _keys.Blob(ns, digest), digest.Size));
    }

    public async ValueTask DeleteBlobAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.KeyDeleteAsync(_keys.Blob(ns, digest)).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.KeyDeleteAsync(_keys.Entry(ns, key.Span)).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<byte[]?> GetEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var redisKey = _keys.Entry(ns, key.Span);
        var value = await db.StringGetAsync(redisKey).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }
        RefreshTtl(db, redisKey);
        return (byte[]?)value;
    }

    public async ValueTask PutEntryAsync(NamespaceId ns, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await db.StringSetAsync(_keys.Entry(ns, key.Span), entry, _options.Ttl, When.Always)
            .WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a value; false when the command may still be in flight (the buffer must then not be reused).</summary>
    internal async Task<bool> SetAsync(RedisKey key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var set = db.StringSetAsync(key, value, _options.Ttl, When.Always);
        try
        {
            await set.WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!set.IsCompleted)
        {
            return false;
        }
        return true;
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }

    private void RefreshTtl(IDatabase db, RedisKey key)
    {
        if (_options.Ttl is { } ttl)
        {
            // Fire and forget: the hit must not wait for a second round trip.
            _ = db.KeyExpireAsync(key, ttl, CommandFlags.FireAndForget);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsCompletedSuccessfully)
        {
            await _connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
