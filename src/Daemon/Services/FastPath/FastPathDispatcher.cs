using System.Text;
using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>The fast path's edge: turns refusals into statuses, with every call accounted as gRPC's are (<see cref="FrameCallAccounting"/>).</summary>
internal sealed class FastPathDispatcher(FastPathCalls calls, FrameCallAccounting accounting)
{
    private static readonly string[] MethodNames = FrameCallAccounting.MethodNames<FastPathOp>("FastPath");

    public async Task<(StatusCode Status, byte[] Body)> DispatchAsync(FastPathOp op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var start = accounting.Begin();
        var status = StatusCode.OK;
        try
        {
            accounting.EnsureReady();
            var response = await calls.RunAsync(op, payload, cancellationToken).ConfigureAwait(false);
            return (StatusCode.OK, response.ToByteArray());
        }
        catch (RequestRefusedException e)
        {
            status = e.Refusal.Code();
            return (status, Encoding.UTF8.GetBytes(e.Message));
        }
        catch (InvalidProtocolBufferException e)
        {
            status = StatusCode.InvalidArgument;
            return (status, Encoding.UTF8.GetBytes("malformed message: " + e.Message));
        }
        finally
        {
            accounting.End(start, MethodName(op), status, RequestCounter.FastPathCalls);
        }
    }

    private static string MethodName(FastPathOp op) => MethodNames[(byte)op];
}
