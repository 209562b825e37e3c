namespace CacheFarm.Protos.Wire;

/// <summary>
/// The local fast path: length-prefixed protobuf frames on a private Unix socket beside the daemon's main
/// one, for the calls a wrapper makes on a hit or a miss. It exists because a short-lived wrapper process
/// spends more time bringing up an HTTP/2 client than the calls themselves take; the messages are the gRPC
/// contract's, plus file moves that only make sense on the daemon's own host.
/// </summary>
/// <remarks>
/// Request: u32 little-endian length of what follows, one <see cref="FastPathOp"/> byte, the request message.
/// Response: u32 little-endian length of what follows, one gRPC status code byte, then the response message
/// (status OK) or a UTF-8 error message. One connection carries any number of requests, one at a time.
/// Only served to the daemon's own user (socket mode 0600) and only when no tokens are configured.
/// </remarks>
public static class FastPathProtocol
{
    public const int HeaderBytes = 5;
    public const int MaxFrameBytes = 8 << 20;

    /// <summary>The fast-path socket of a daemon whose main socket is <paramref name="socketPath"/>.</summary>
    public static string SocketFor(string socketPath) => socketPath + ".fast";
}

/// <summary>Calls the fast path carries; each takes and returns the gRPC contract's messages.</summary>
public enum FastPathOp : byte
{
    /// <summary>GetEntryRequest → Entry.</summary>
    GetEntry = 1,

    /// <summary>BatchReadBlobsRequest → BatchReadBlobsResponse.</summary>
    BatchReadBlobs = 2,

    /// <summary>CompileRecord → RecordCompileResponse.</summary>
    RecordCompile = 3,

    /// <summary>FindMissingBlobsRequest → FindMissingBlobsResponse.</summary>
    FindMissingBlobs = 4,

    /// <summary>BatchUpdateBlobsRequest → BatchUpdateBlobsResponse.</summary>
    BatchUpdateBlobs = 5,

    /// <summary>PutEntryRequest → PutEntryResponse.</summary>
    PutEntry = 6,

    /// <summary>FileBlobRequest → FileBlobResponse: the daemon reads the named file into the store.</summary>
    StoreFile = 7,

    /// <summary>FileBlobRequest → FileBlobResponse: the daemon writes the blob into a new file at the named path.</summary>
    RestoreFile = 8,

    /// <summary>GetStatsRequest → Stats.</summary>
    GetStats = 9,

    /// <summary>StoreCompileRequest → StoreCompileResponse: checked and accepted now, stored while the build goes on.</summary>
    StoreCompile = 10,
}
