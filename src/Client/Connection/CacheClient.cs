using System.Buffers;
using System.Security.Cryptography;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace CacheFarm.Client.Connection;

/// <summary>Typed calls to cachefarmd's cache: blobs through the pooled marshallers, signed entries through the generated stubs; admin calls in <see cref="Admin"/>.</summary>
public sealed class CacheClient : IDisposable
{
    /// <summary>Bytes per WriteBlob message.</summary>
    public const int UploadFrameBytes = 1 << 20;

    private readonly ClientCredentials _credentials;
    private readonly DaemonTransport _transport;
    private int _untrustedEntries;
    private bool _handOverUnsupported;

    public CacheClient(DaemonEndpoint endpoint, string @namespace = "", TimeSpan? connectTimeout = null, ClientCredentials? credentials = null)
    {
        Endpoint = endpoint;
        Namespace = @namespace;
        _credentials = credentials ?? ClientCredentials.None;
        _transport = new DaemonTransport(endpoint, _credentials, connectTimeout ?? TimeSpan.FromSeconds(2));
        Admin = new AdminCalls(_transport);
    }

    public DaemonEndpoint Endpoint { get; }

    /// <summary>Stats, shutdown, and the build records and reports, over the same connection.</summary>
    public AdminCalls Admin { get; }

    public string Namespace { get; }

    /// <summary>The working set sent with entry lookups and stores; empty sends none.</summary>
    public string WorkingSet { get; init; } = "";

    /// <summary>Entries ignored because their signature was missing or wrong (only with an entry key).</summary>
    public int UntrustedEntries => Volatile.Read(ref _untrustedEntries);

    public async Task<IReadOnlyList<Digest>> FindMissingAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var request = new FindMissingBlobsRequest { Namespace = Namespace };
        request.Digests.AddRange(digests);
        var response = await _transport.CallAsync(FastPathOp.FindMissingBlobs, request, FindMissingBlobsResponse.Parser,
            () => _transport.Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.FindMissingBlobs, null, DaemonTransport.Options(cancellationToken), request).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Missing;
    }

    /// <summary>
    /// Stores a file whose digest is already known. A local daemon reads it straight from disk; otherwise (or
    /// when the daemon cannot see the file, say from another container) the bytes are streamed.
    /// </summary>
    public async Task StoreFileAsync(ContentDigest digest, string path, CancellationToken cancellationToken)
    {
        if (TryFileCall(FastPathOp.StoreFile, digest, path, false, cancellationToken))
        {
            return;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await UploadAsync(digest, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands a compile's outputs and entries to a local daemon, which stores them after answering. False when it
    /// cannot take them (no fast path, a daemon that cannot see this process's files, or one without the call):
    /// the caller then stores them itself.
    /// </summary>
    public bool TryHandOver(StoreCompileRequest request, CancellationToken cancellationToken)
    {
        if (_handOverUnsupported || !_transport.CanNameFiles)
        {
            return false;
        }
        request.Namespace = Namespace;
        request.WorkingSet = WorkingSet;
        if (_credentials.EntryKey is { } secret)
        {
            foreach (var put in request.Entries)
            {
                EntrySignature.Sign(put.Entry, Namespace, put.Key, secret);
            }
        }
        try
        {
            return _transport.TryCallNamingFiles(FastPathOp.StoreCompile, request, StoreCompileResponse.Parser, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            _handOverUnsupported = true;
            return false;
        }
    }

    /// <summary>
    /// Outputs larger than this are restored with <see cref="RestoreFileAsync"/>, smaller ones batched. A daemon that
    /// writes files itself takes anything beyond a few pages: passing a C++ object through messages cost more in
    /// copies and garbage collection than the call it saves.
    /// </summary>
    public long BatchedRestoreLimit => _transport.CanNameFiles ? 64 << 10 : ProducedOutput.InlineLimit;

    /// <summary>
    /// Creates <paramref name="path"/> (which must not exist) with a blob's verified bytes; false when the daemon
    /// does not have it. A local daemon writes the file itself; otherwise the bytes are streamed.
    /// </summary>
    public async Task<bool> RestoreFileAsync(ContentDigest digest, string path, bool executable, CancellationToken cancellationToken)
    {
        try
        {
            if (TryFileCall(FastPathOp.RestoreFile, digest, path, executable, cancellationToken))
            {
                // A daemon in another mount namespace would have written somewhere this process cannot see.
                if (new FileInfo(path) is { Exists: true } written && written.Length == digest.Size)
                {
                    return true;
                }
                _transport.FilesNotShared();
                File.Delete(path);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            if (!await DownloadAsync(digest, file, cancellationToken).ConfigureAwait(false))
            {
                file.Close();
                File.Delete(path);
                return false;
            }
        }
        File.SetUnixFileMode(path, OutputFileMode.Of(executable));
        return true;
    }

    /// <summary>Uploads a stream whose digest is already known; returns true when the daemon already had it.</summary>
    public async Task<bool> UploadAsync(ContentDigest digest, Stream content, CancellationToken cancellationToken)
    {
        using var call = _transport.Grpc.Invoker.AsyncClientStreamingCall(CacheFarmMethods.WriteBlob, null, DaemonTransport.Options(cancellationToken));
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
        var digest = FileContentHash.Compute(path);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await UploadAsync(digest, file, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Streams a blob into <paramref name="destination"/>, checking its SHA-256; false when the daemon does not have it.</summary>
    public async Task<bool> DownloadAsync(ContentDigest digest, Stream destination, CancellationToken cancellationToken)
    {
        var request = new ReadBlobRequest { Namespace = Namespace, Digest = digest.ToProto() };
        using var call = _transport.Grpc.Invoker.AsyncServerStreamingCall(CacheFarmMethods.ReadBlob, null, DaemonTransport.Options(cancellationToken), request);
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
        var response = await _transport.CallAsync(FastPathOp.BatchReadBlobs, request, BatchReadBlobsResponse.Parser,
            () => _transport.Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchReadBlobs, null, DaemonTransport.Options(cancellationToken), request).ResponseAsync, cancellationToken).ConfigureAwait(false);
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
        var response = await _transport.CallAsync(FastPathOp.BatchUpdateBlobs, request, BatchUpdateBlobsResponse.Parser,
            () => _transport.Grpc.Invoker.AsyncUnaryCall(CacheFarmMethods.BatchUpdateBlobs, null, DaemonTransport.Options(cancellationToken), request).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return [.. response.Items.Where(i => i.Status is not { Code: 0 }).Select(i => $"{i.Digest?.Hash}: {i.Status?.Message}")];
    }

    /// <summary>Returns the entry for a key, or null on a miss (or, with an entry key, when it is not validly signed).</summary>
    public async Task<Entry?> GetEntryAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        try
        {
            var request = new GetEntryRequest { Namespace = Namespace, Key = key, WorkingSet = WorkingSet };
            entry = await _transport.CallAsync(FastPathOp.GetEntry, request, Entry.Parser, () => _transport.Grpc.Entries.GetEntryAsync(request, DaemonTransport.Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
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
        var request = new PutEntryRequest { Namespace = Namespace, Key = key, Entry = entry, WorkingSet = WorkingSet };
        await _transport.CallAsync(FastPathOp.PutEntry, request, PutEntryResponse.Parser,
            () => _transport.Grpc.Entries.PutEntryAsync(request, DaemonTransport.Options(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks a local daemon to move a blob between its store and a file.</summary>
    private bool TryFileCall(FastPathOp op, ContentDigest digest, string path, bool executable, CancellationToken cancellationToken) =>
        _transport.TryCallNamingFiles(op, new FileBlobRequest { Namespace = Namespace, Digest = digest.ToProto(), Path = Path.GetFullPath(path), Executable = executable }, FileBlobResponse.Parser, cancellationToken);

    private static BlobChunk ReturnEmpty(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        return BlobChunk.Empty;
    }

    public void Dispose() => _transport.Dispose();
}
