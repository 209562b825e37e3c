using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>Serves the fast-path connections Kestrel accepts on the private socket beside the main one (see <see cref="CacheFarm.Protos.Wire.FastPathProtocol"/>).</summary>
internal sealed class FastPathConnectionHandler(FastPathDispatcher dispatcher, ILogger<FastPathConnectionHandler> logger) : FrameConnectionHandler(logger)
{
    protected override Task ServeAsync(ConnectionContext connection, CancellationToken cancellationToken) =>
        new FastPathConnection(connection.Transport, dispatcher).RunAsync(cancellationToken);
}
