using CacheFarm.Daemon.Storage;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Daemon.Storage.Tiered;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using CacheFarm.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>The daemon's own tier chain over memory tiers (a trusted front, untrusted remotes), on a fake clock.</summary>
internal sealed class MemoryTierChain : IAsyncDisposable
{
    private readonly TempDirectory _spool = new("cfmem");

    public MemoryTierChain(int remotes = 1, TieredStoreOptions? options = null)
    {
        Options = options ?? new TieredStoreOptions();
        Remotes = Enumerable.Range(0, remotes).Select(i => new MemoryTier("remote" + i)).ToArray();
        var guarded = Remotes.Select(r => CacheStoreRegistration.Guard(r, TierMode.ReadWrite, Options, NullLogger.Instance, Clock)).ToList();
        Store = new TieredCacheStore(Local, guarded, Options, new BlobWriteLocks(), _spool.Combine("spool"), NullLogger.Instance);
    }

    public FakeTimeProvider Clock { get; } = new();

    public TieredStoreOptions Options { get; }

    public MemoryTier Local { get; } = new("local", trusted: true);

    public MemoryTier[] Remotes { get; }

    public TieredCacheStore Store { get; }

    public MemoryTier Remote => Remotes[0];

    /// <summary>A blob read whole through the chain, as a client would get it; null on a miss.</summary>
    public async Task<byte[]?> ReadBlobAsync(NamespaceId ns, ContentDigest digest)
    {
        using var reader = await Store.OpenBlobAsync(ns, digest, default);
        if (reader is null)
        {
            return null;
        }
        using var bytes = new MemoryStream();
        await foreach (var chunk in reader.ReadAsync(0, reader.Size, default))
        {
            using (chunk)
            {
                bytes.Write(chunk.Data.Span);
            }
        }
        return bytes.ToArray();
    }

    public TierStats Stats(int tier) => Store.GetTierStats()[tier];

    /// <summary>The chain's tier stats as the daemon would report them, for <see cref="DaemonStats"/> waits.</summary>
    public Task<Stats> ReadStatsAsync() => Task.FromResult(new Stats { Tiers = { Store.GetTierStats() } });

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _spool.Dispose();
    }
}
