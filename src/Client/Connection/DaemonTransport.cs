using CacheFarm.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace CacheFarm.Client.Connection;

/// <summary>
/// Routes each call to cachefarmd: over the fast path beside a local daemon's socket while it works, else over
/// gRPC, whose HTTP/2 connection is only made when a call needs it.
/// </summary>
internal sealed class DaemonTransport(DaemonEndpoint endpoint, ClientCredentials credentials, TimeSpan connectTimeout) : IDisposable
{
    private FastPathClient? _fast;
    private bool _fastFailed;
    private GrpcConnection? _grpc;
    private bool _filesShared = true;

    /// <summary>Created on the first call that needs it: a hit served by the fast path never pays for HTTP/2.</summary>
    public GrpcConnection Grpc => _grpc ??= new GrpcConnection(endpoint, connectTimeout, credentials);

    /// <summary>True while calls naming this process's files may go to the daemon: it has a fast path and sees them.</summary>
    public bool CanNameFiles => _filesShared && Fast is not null;

    /// <summary>Runs a call over the fast path when the daemon offers one, else (or once it fails to connect) over gRPC.</summary>
    public async Task<T> CallAsync<T>(FastPathOp op, IMessage request, MessageParser<T> parser, Func<Task<T>> grpc, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        return Fast is { } fast && CallFast(fast, op, request, parser, cancellationToken) is { } answer
            ? answer
            : await grpc().ConfigureAwait(false);
    }

    // A fast-path call naming this process's files; false when that is not possible here (no fast path, or a
    // daemon that cannot see these files, say from another container), so the caller moves the bytes itself.
    // A file the daemon read differently (another container's file at that path) fails its digest check and
    // is sent instead, where the check decides again.
    public bool TryCallNamingFiles<T>(FastPathOp op, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (!_filesShared || Fast is not { } fast)
        {
            return false;
        }
        try
        {
            return CallFast(fast, op, request, parser, cancellationToken) is not null;
        }
        catch (RpcException e) when (op != FastPathOp.RestoreFile && e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            // The daemon sees no file, or another one, at these paths.
            _filesShared = false;
            return false;
        }
    }

    /// <summary>A file the daemon wrote never appeared here: it lives in another mount namespace.</summary>
    public void FilesNotShared() => _filesShared = false;

    /// <summary>The fast path's answer, or null once it failed to connect (it is dropped, and gRPC serves from then on).</summary>
    private T? CallFast<T>(FastPathClient fast, FastPathOp op, IMessage request, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        try
        {
            return FastPathClient.Parse(fast.Call(op, request, cancellationToken), parser);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // A daemon without a working fast path (an older one, a stale socket) still speaks gRPC.
            DropFastPath(fast);
            return null;
        }
    }

    /// <summary>Looked for until found: a daemon started by this process creates its socket after the client exists.</summary>
    private FastPathClient? Fast => _fast ??= _fastFailed ? null : FastPathClient.For(endpoint, credentials);

    private void DropFastPath(FastPathClient fast)
    {
        fast.Dispose();
        _fast = null;
        _fastFailed = true;
    }

    /// <summary>Per-call options for the generated stubs: the flow's <see cref="CallDeadline"/> and the caller's cancellation.</summary>
    public static CallOptions Options(CancellationToken cancellationToken) => new(deadline: CallDeadline.Current, cancellationToken: cancellationToken);

    public void Dispose()
    {
        _fast?.Dispose();
        _grpc?.Dispose();
    }
}
