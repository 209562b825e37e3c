using System.IO.Pipelines;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>One fast-path connection over Kestrel's transport pipe: reads request frames, answers each before reading the next.</summary>
internal sealed class FastPathConnection(IDuplexPipe transport, FastPathDispatcher dispatcher)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        FastPathFrames.ServeAsync(transport, FastPathProtocol.MaxFrameBytes, AnswerAsync, cancellationToken);

    private async Task<bool> AnswerAsync(byte op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var (status, response) = await dispatcher.DispatchAsync((FastPathOp)op, payload, cancellationToken).ConfigureAwait(false);
        FastPathFrames.WriteAnswer(transport.Output, status, response);
        return true;
    }
}
