using CacheFarm.LoadGen.Cli;
using CacheFarm.LoadGen.Targets;

namespace CacheFarm.LoadGen.Running;

/// <summary>Creates the client for a target spec; one per target for the whole invocation.</summary>
internal static class TargetConnector
{
    public static async Task<ICacheTarget> ConnectAsync(TargetSpec spec, LoadGenOptions options) => spec.Kind switch
    {
        TargetKind.Cachefarmd => new CachefarmdTarget(spec, options.Namespace, options.Workload.WriteChunkBytes, options.OperationTimeout),
        TargetKind.CachefarmdBulk => new CachefarmdBulkTarget(spec, options.Namespace, options.Workload.WriteChunkBytes, options.OperationTimeout, options.Concurrency),
        TargetKind.Redis => await RedisTarget.ConnectAsync(spec, options.Namespace, options.OperationTimeout),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown target kind"),
    };
}
