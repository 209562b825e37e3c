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
        FastPathFrames.ServeAsync(transport, BulkReadProtocol.MaxRequestBytes, AnswerAsync, cancellationToken);

    private async Task<bool> AnswerAsync(byte op, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if ((BulkReadOp)op == BulkReadOp.Authenticate)
        {
            return Authenticate(payload);
        }
        if (tokens is not null && _grant is null)
        {
            return Refuse(StatusCode.Unauthenticated, "a bearer token is required: authenticate the connection first");
        }
        return await calls.AnswerAsync((BulkReadOp)op, payload, _grant, transport.Output, cancellationToken).ConfigureAwait(false);
    }

    // A refused token closes the connection: nobody gets to try tokens one after another on it.
    private bool Authenticate(ReadOnlyMemory<byte> payload)
    {
        if (tokens is not null)
        {
            var grant = payload.Length <= MaxTokenBytes ? tokens.Find(Encoding.UTF8.GetString(payload.Span).Trim()) : null;
            if (grant is null)
            {
                return Refuse(StatusCode.Unauthenticated, "unknown token");
            }
            if (!grant.Allows(Scopes.Read))
            {
                return Refuse(StatusCode.PermissionDenied, $"token '{grant.Name}' lacks the 'read' scope");
            }
            _grant = grant;
        }
        FastPathFrames.WriteAnswer(transport.Output, StatusCode.OK, []);
        return true;
    }

    private bool Refuse(StatusCode status, string message)
    {
        FastPathFrames.WriteAnswer(transport.Output, status, Encoding.UTF8.GetBytes(message));
        return false;
    }
}
