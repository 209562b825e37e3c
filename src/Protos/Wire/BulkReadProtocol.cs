namespace CacheFarm.Protos.Wire;

/// <summary>
/// Bulk reads for trusted runners: the fast path's length-prefixed frames over TCP (TLS when the daemon has a
/// certificate), with a blob's bytes sent as they are stored rather than cut into HTTP/2 frames and messages.
/// It exists because gRPC's framing costs the shared daemon more CPU per MiB than the reads themselves.
/// </summary>
/// <remarks>
/// Framing is <see cref="FastPathProtocol"/>'s: request u32 little-endian length, one <see cref="BulkReadOp"/> byte,
/// the request message; response u32 length, one gRPC status code byte, the body. A ReadBlob answered OK carries the
/// blob's bytes raw; every other OK body is the gRPC contract's response message, and an error body is UTF-8 text.
/// A read that fails after its header was sent closes the connection, so a short body is never taken for a blob.
/// When the daemon has tokens, the first call must be Authenticate; its grant holds for the connection, and a
/// refused one closes it.
/// </remarks>
public static class BulkReadProtocol
{
    /// <summary>Largest request frame: reads carry digests, not data.</summary>
    public const int MaxRequestBytes = 1 << 20;
}

/// <summary>Calls the bulk-read listener carries; all of them only read.</summary>
public enum BulkReadOp : byte
{
    /// <summary>UTF-8 bearer token → empty body.</summary>
    Authenticate = 1,

    /// <summary>ReadBlobRequest → the requested range's bytes, raw.</summary>
    ReadBlob = 2,

    /// <summary>GetEntryRequest → Entry.</summary>
    GetEntry = 3,

    /// <summary>FindMissingBlobsRequest → FindMissingBlobsResponse.</summary>
    FindMissingBlobs = 4,

    /// <summary>BatchReadBlobsRequest → BatchReadBlobsResponse.</summary>
    BatchReadBlobs = 5,
}
