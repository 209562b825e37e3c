using CacheFarm.Daemon.Configuration;
using CacheFarm.Daemon.Storage.Local;
using CacheFarm.Daemon.Storage.Remote;
using CacheFarm.Daemon.Storage.Streaming;
using CacheFarm.Daemon.Storage.Upstream;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Registers the daemon's <see cref="ICacheStore"/>: the tier chain over the local tier and whichever remote tiers are configured.</summary>
internal static class CacheStoreRegistration
{
    public static IServiceCollection AddCacheStore(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton(sp => Create(sp, settings));
        return services.AddSingleton<ICacheStore>(sp => sp.GetRequiredService<TieredCacheStore>());
    }

    private static TieredCacheStore Create(IServiceProvider services, DaemonSettings settings)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CacheFarm.Tiers");
        var options = settings.Tiers;
        var remotes = new List<GuardedRemoteTier>();
        // A runner-local daemon's shared cachefarmd comes first: it fronts the fleet's Redis and S3 itself.
        if (settings.Upstream.IsConfigured)
        {
            remotes.Add(Guard(new InstrumentedRemoteTier(new UpstreamTier(settings.Upstream)), settings.Upstream.Mode, options, logger, TimeProvider.System));
        }
        if (settings.Redis.IsConfigured)
        {
            remotes.Add(Guard(new InstrumentedRemoteTier(new RedisTier(settings.Redis)), settings.Redis.Mode, options, logger, TimeProvider.System));
        }
        if (settings.S3.IsConfigured)
        {
            remotes.Add(Guard(new InstrumentedRemoteTier(new S3Tier(settings.S3)), settings.S3.Mode, options, logger, TimeProvider.System));
        }
        var spool = Path.Combine(settings.DataDirectory, "spool");
        // Spool files only live while one read is served; any found now are from a crash.
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }
        return new TieredCacheStore(
            services.GetRequiredService<FasterLocalTier>(), remotes, options, services.GetRequiredService<BlobWriteLocks>(), spool, logger);
    }

    /// <summary>Puts a remote tier behind the chain's breaker and existence cache, timed by <paramref name="time"/>.</summary>
    public static GuardedRemoteTier Guard(ICacheTier tier, TierMode mode, TieredStoreOptions options, ILogger logger, TimeProvider time) =>
        new(tier, mode,
            new CircuitBreaker(options.BreakerFailures, TimeSpan.FromSeconds(Math.Min(1, options.BreakerMaxBackoff.TotalSeconds)), options.BreakerMaxBackoff, time),
            new ExistenceCache(options.ExistenceCacheTtl, time),
            logger);
}
