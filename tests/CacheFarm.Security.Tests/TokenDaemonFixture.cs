using CacheFarm.Client.Connection;
using CacheFarm.TestSupport;

namespace CacheFarm.Security.Tests;

/// <summary>A daemon that requires tokens: a reader, a blob writer, a full CI writer (all bound to namespace "team"), and an admin.</summary>
public sealed class TokenDaemonFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cfsec");

    public static readonly TokenFile.Token Reader = new("reader", "reader-secret-1", ["read"], ["team"]);
    public static readonly TokenFile.Token BlobWriter = new("blob-writer", "blob-writer-secret-2", ["read", "write-blobs"], ["team"]);
    public static readonly TokenFile.Token CiWriter = new("ci", "ci-secret-3", ["read", "write-blobs", "write-entries"], ["team"]);
    public static readonly TokenFile.Token Operator = new("operator", "operator-secret-4", ["read", "admin"], ["*"]);
    public static readonly TokenFile.Token Throttled = new("throttled", "throttled-secret-5", ["read"], ["*"], RateLimit: 5);

    public DaemonProcess Daemon { get; private set; } = null!;

    public CacheClient ClientFor(TokenFile.Token? token, string @namespace) =>
        Daemon.Client(@namespace, new ClientCredentials { Token = token?.Secret });

    public async Task InitializeAsync()
    {
        var tokens = TokenFile.Write(_dir.Path, Reader, BlobWriter, CiWriter, Operator, Throttled);
        Daemon = await DaemonProcess.StartAsync(_dir.Combine("data"), "--tokens-file", tokens);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _dir.Dispose();
    }
}
