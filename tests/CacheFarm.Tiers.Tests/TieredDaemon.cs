using CacheFarm.TestSupport;

namespace CacheFarm.Tiers.Tests;

/// <summary>Starts cachefarmd with its own local tier in front of the test's Redis and S3.</summary>
internal static class TieredDaemon
{
    public static Task<DaemonProcess> StartAsync(TempDirectory dir, string name, RedisServerProcess? redis, S3rverProcess? s3, params string[] extra)
    {
        var args = new List<string> { "--capacity", "512M", "--log-memory", "64M" };
        if (redis is not null)
        {
            args.AddRange(["--redis", redis.Endpoint]);
        }
        if (s3 is not null)
        {
            args.AddRange(s3.DaemonArgs);
        }
        args.AddRange(extra);
        return DaemonProcess.StartAsync(dir.Combine(name), [.. args]);
    }
}
