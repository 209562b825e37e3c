namespace CacheFarm.LoadGen.Cli;

/// <summary>The kinds of server the load generator can drive.</summary>
internal enum TargetKind
{
    /// <summary>cachefarmd over gRPC.</summary>
    Cachefarmd,

    /// <summary>cachefarmd with reads over its bulk-read listener (writes and preloads over gRPC).</summary>
    CachefarmdBulk,

    Redis,
}
