using CacheFarm.Daemon.Security;
using CacheFarm.Daemon.Services.FastPath;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services.BulkReads;

/// <summary>Serves the bulk-read listener (see <see cref="CacheFarm.Protos.Wire.BulkReadProtocol"/>): runners' reads over TCP or TLS, authenticated per connection.</summary>
internal sealed class BulkReadConnectionHandler(BulkReadCalls calls, TokenTable? tokens, ILogger<BulkReadConnectionHandler> logger) : FrameConnectionHandler(logger)
{
    protected override Task ServeAsync(ConnectionContext connection, CancellationToken cancellationToken) =>
        new BulkReadConnection(connection.Transport, calls, tokens).RunAsync(cancellationToken);
}

