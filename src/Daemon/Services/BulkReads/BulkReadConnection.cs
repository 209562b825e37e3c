using System.IO.Pipelines;
using System.Text;
using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Services.FastPath;
using CacheFarm.Protos.Wire;
using Grpc.Core;

namespace CacheFarm.Daemon.Services.BulkReads;

/// <summary>One bulk-read connection: with tokens, its first call must authenticate it and the grant then holds for every call on it.</summary>
internal sealed class BulkReadConnection(IDuplexPipe transport, BulkReadCalls calls, TokenTable? tokens)
{
    // A bearer token is short; anything longer is not one.
    private const int MaxTokenBytes = 4096;

    private TokenGrant? _grant;

    public Task RunAsync(CancellationToken cancellationToken) =>
        FastPathFrames.ServeAsync(transport.Input, BulkReadProtocol.MaxRequestBytes, AnswerAsync, cancellationToken);

    private async Task<bool> AnswerAsync(byte op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if ((BulkReadOp)op == BulkReadOp.Authenticate)
        {
            return await AuthenticateAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        if (tokens is not null && _grant is null)
        {
            return await RefuseAsync(StatusCode.Unauthenticated, "a bearer token is required: authenticate the connection first", cancellationToken).ConfigureAwait(false);
        }
        return await calls.AnswerAsync((BulkReadOp)op, payload, _grant, transport.Output, cancellationToken).ConfigureAwait(false);
    }

    // A refused token closes the connection: nobody gets to try tokens one after another on it.
    private async Task<bool> AuthenticateAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            await FastPathFrames.WriteAnswerAsync(transport.Output, StatusCode.OK, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            return true;
        }
        var grant = payload.Length <= MaxTokenBytes ? tokens.Find(Encoding.UTF8.GetString(payload.Span).Trim()) : null;
        if (grant is null)
        {
            return await RefuseAsync(StatusCode.Unauthenticated, "unknown token", cancellationToken).ConfigureAwait(false);
        }
        if (!grant.Allows(Scopes.Read))
        {
            return await RefuseAsync(StatusCode.PermissionDenied, $"token '{grant.Name}' lacks the 'read' scope", cancellationToken).ConfigureAwait(false);
        }
        _grant = grant;
        await FastPathFrames.WriteAnswerAsync(transport.Output, StatusCode.OK, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> RefuseAsync(StatusCode status, string message, CancellationToken cancellationToken)
    {
        await FastPathFrames.WriteAnswerAsync(transport.Output, status, Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        return false;
    }
}
