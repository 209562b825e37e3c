using System.Buffers;
using System.Security.Cryptography;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CacheFarm.Client.Connection;

/// <summary>Typed calls to cachefarmd: blobs through the pooled marshallers, entries and admin through the generated stubs.</summary>
public sealed class CacheClient : IDisposable
{
    /// <summary>Bytes per WriteBlob message.</summary>
    public const int UploadFrameBytes = 1 << 20;

    private readonly ClientCredentials _credentials;
    private readonly TimeSpan _connectTimeout;
    private FastPathClient? _fast;
    private GrpcConnection? _grpc;
    private int _untrustedEntries;

    public CacheClient(DaemonEndpoint endpoint, string @namespace = "", TimeSpan? connectTimeout = null, ClientCredentials? credentials = null)
    {
        Endpoint = endpoint;
        Namespace = @namespace;
        _credentials = credentials ?? ClientCredentials.None;
        _connectTimeout = connectTimeout ?? TimeSpan.FromSeconds(2);
        _fast = FastPathClient.For(endpoint, _credentials);
    }

    public DaemonEndpoint Endpoint { get; }

    /// <summary>True while calls that have a fast-path form use it.</summary>
    public bool UsesFastPath => _fast is not null;

    public string Namespace { get; }

    /// <summary>Entries ignored because their signature was missing or wrong (only with an entry key).</summary>
    public int UntrustedEntries => Volatile.Read(ref _untrustedEntries);

    public async Task<IReadOnlyList<Digest>> FindMissingAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var request = new FindMissingBlobsRequest { Namespace = Namespace };
        request.Digests.AddRange(digests);
        var response = await Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, Options(cancellationToken), request).ConfigureAwait(false);
        return response.Missing;
    }

    /// <summary>Uploads a stream whose digest is already known; returns true when the daemon already had it.</summary>
    public async Task<bool> UploadAsync(ContentDigest digest, Stream content, CancellationToken cancellationToken)
    {
        using var call = Grpc.Invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, Options(cancellationToken));
        var first = true;
        var sent = 0L;
        try
        {
            do
            {
                var buffer = ArrayPool<byte>.Shared.Rent(UploadFrameBytes);
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, UploadFrameBytes), UploadFrameBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                var chunk = read == 0 ? ReturnEmpty(buffer) : BlobChunk.FromRented(buffer, read);
                var frame = first ? new WriteBlobFrame(Namespace, digest.ToProto(), chunk) : new WriteBlobFrame(null, null, chunk);
                first = false;
                await call.RequestStream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                sent += read;
                if (read < UploadFrameBytes)
                {
                    break;
                }
            }
            while (sent < digest.Size);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The daemon may answer (already present, or an error) before the whole upload was sent.
        }
        var response = await call.ResponseAsync.ConfigureAwait(false);
        return response.AlreadyPresent;
    }

    /// <summary>Hashes and uploads a file; returns its digest.</summary>
    public async Task<ContentDigest> UploadFileAsync(string path, CancellationToken cancellationToken)
    {
        var digest = await FileDigest.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await UploadAsync(digest, file, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Streams a blob into <paramref name="destination"/>, checking its SHA-256; false when the daemon does not have it.</summary>
    public async Task<bool> DownloadAsync(ContentDigest digest, Stream destination, CancellationToken cancellationToken)
    {
        var request = new ReadBlobRequest { Namespace = Namespace, Digest = digest.ToProto() };
        using var call = Grpc.Invoker.AsyncServerStreamingCall(CacheFarmMethods.ReadBlob, null, Options(cancellationToken), request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var received = 0L;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                using var chunk = call.ResponseStream.Current;
                hash.AppendData(chunk.Data.Span);
                received += chunk.Length;
                await destination.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
        if (received != digest.Size || !hash.GetHashAndReset().AsSpan().SequenceEqual(digest.Hash))
        {
            throw new InvalidDataException($"blob {digest} arrived damaged ({received} bytes, wrong hash)");
        }
        return true;
    }

    /// <summary>Reads several small blobs in one call; a blob the daemon lacks (or would not batch) maps to null.</summary>
    public async Task<Dictionary<ContentDigest, byte[]?>> BatchReadAsync(IReadOnlyCollection<ContentDigest> digests, CancellationToken cancellationToken)
    {
        var request = new BatchReadBlobsRequest { Namespace = Namespace };
        request.Digests.AddRange(digests.Select(d => d.ToProto()));
        var response = await CallAsync(FastPathOp.BatchReadBlobs, request, BatchReadBlobsResponse.Parser,
            () => Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchReadBlobs, null, Options(cancellationToken), request).ResponseAsync, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<ContentDigest, byte[]?>();
        foreach (var item in response.Items)
        {
            if (ContentDigest.TryParse(item.Digest, out var digest, out _))
            {
                // A daemon on this host, run by this user, verified every blob on write and checksums every
                // chunk on read; re-hashing here would only add the cost of loading a crypto library.
                var intact = Endpoint.IsLocalSocket || ContentDigest.Of(item.Data.Span) == digest;
                result[digest] = item.Status is { Code: 0 } && intact ? item.Data.ToByteArray() : null;
            }
        }
        return result;
    }

    /// <summary>Writes several small blobs in one call; returns the digests the daemon did not accept, with its reasons.</summary>
    public async Task<IReadOnlyList<string>> BatchUploadAsync(IEnumerable<(ContentDigest Digest, ReadOnlyMemory<byte> Data)> blobs, CancellationToken cancellationToken)
    {
        var request = new BatchUpdateBlobsRequest { Namespace = Namespace };
        foreach (var (digest, data) in blobs)
        {
            request.Items.Add(new BatchUpdateBlobsRequest.Types.Item { Digest = digest.ToProto(), Data = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(data) });
        }
        var response = await Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchUpdateBlobs, null, Options(cancellationToken), request).ConfigureAwait(false);
        return [.. response.Items.Where(i => i.Status is not { Code: 0 }).Select(i => $"{i.Digest?.Hash}: {i.Status?.Message}")];
    }

    /// <summary>Returns the entry for a key, or null on a miss (or, with an entry key, when it is not validly signed).</summary>
    public async Task<Entry?> GetEntryAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        try
        {
            var request = new GetEntryRequest { Namespace = Namespace, Key = key };
            entry = await CallAsync(FastPathOp.GetEntry, request, Entry.Parser, () => Grpc.Entries.GetEntryAsync(request, Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        if (_credentials.EntryKey is { } secret && !EntrySignature.IsValid(entry, Namespace, key, secret))
        {
            Interlocked.Increment(ref _untrustedEntries);
            return null;
        }
        return entry;
    }

    /// <summary>Stores an entry, signed when the client holds an entry key.</summary>
    public async Task PutEntryAsync(string key, Entry entry, CancellationToken cancellationToken)
    {
        if (_credentials.EntryKey is { } secret)
        {
            EntrySignature.Sign(entry, Namespace, key, secret);
        }
        await Grpc.Entries.PutEntryAsync(new PutEntryRequest { Namespace = Namespace, Key = key, Entry = entry }, Options(cancellationToken)).ConfigureAwait(false);
    }

    public async Task<Stats> GetStatsAsync(CancellationToken cancellationToken) =>
        await Grpc.Admin.GetStatsAsync(new GetStatsRequest(), Options(cancellationToken)).ConfigureAwait(false);

    public async Task<Stats> ZeroStatsAsync(CancellationToken cancellationToken) =>
        await Grpc.Admin.ZeroStatsAsync(new ZeroStatsRequest(), Options(cancellationToken)).ConfigureAwait(false);

    public async Task<Stats> ShutdownAsync(CancellationToken cancellationToken) =>
        await Grpc.Admin.ShutdownAsync(new ShutdownRequest(), Options(cancellationToken)).ConfigureAwait(false);

    public async Task RecordCompileAsync(CompileRecord record, CancellationToken cancellationToken) =>
        await CallAsync(FastPathOp.RecordCompile, record, RecordCompileResponse.Parser,
            () => Grpc.Admin.RecordCompileAsync(record, Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);

    public async Task<BuildReports> GetBuildReportsAsync(int limit, string buildIdPrefix, CancellationToken cancellationToken) =>
        await Grpc.Admin.GetBuildReportsAsync(new GetBuildReportsRequest { Limit = limit, BuildIdPrefix = buildIdPrefix }, Options(cancellationToken)).ConfigureAwait(false);

    /// <summary>Runs a call over the fast path when the daemon offers one, else (or once it fails to connect) over gRPC.</summary>
    private async Task<T> CallAsync<T>(FastPathOp op, Google.Protobuf.IMessage request, Google.Protobuf.MessageParser<T> parser, Func<Task<T>> grpc, CancellationToken cancellationToken)
        where T : Google.Protobuf.IMessage<T>
    {
        if (_fast is { } fast)
        {
            try
            {
                return FastPathClient.Parse(fast.Call(op, request, cancellationToken), parser);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // A daemon without a working fast path (an older one, a stale socket) still speaks gRPC.
                fast.Dispose();
                _fast = null;
            }
        }
        return await grpc().ConfigureAwait(false);
    }

    /// <summary>Created on the first call that needs it: a hit served by the fast path never pays for HTTP/2.</summary>
    private GrpcConnection Grpc => _grpc ??= new GrpcConnection(Endpoint, _connectTimeout, _credentials);

    private static CallOptions Options(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);

    private static BlobChunk ReturnEmpty(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        return BlobChunk.Empty;
    }

    public void Dispose()
    {
        _fast?.Dispose();
        _grpc?.Dispose();
    }
}
