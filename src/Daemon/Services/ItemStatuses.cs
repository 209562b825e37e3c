using CacheFarm.Protos.V1;
using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>Builds the per-item status of batch answers.</summary>
internal static class ItemStatuses
{
    public static ItemStatus Ok => new() { Code = (int)StatusCode.OK };

    public static ItemStatus Of(Refusal refusal, string message) => new() { Code = (int)refusal.Code(), Message = message };
}
