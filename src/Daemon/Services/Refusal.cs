using Grpc.Core;

namespace CacheFarm.Daemon.Services;

/// <summary>Why the cache refused a request, in its own terms; each front door turns it into its status codes.</summary>
public enum Refusal
{
    /// <summary>The request itself is wrong (a malformed digest, an unsafe path, bytes that miss their digest).</summary>
    Invalid,

    /// <summary>What the request names is not stored (or not readable where the client said it is).</summary>
    NotFound,

    /// <summary>Something the request depends on is not there yet (an entry's outputs, the target's directory).</summary>
    Precondition,

    /// <summary>A range that starts past the end of what the request names.</summary>
    OutOfRange,

    /// <summary>No room: the blob is larger than the cache takes, or the disk is full.</summary>
    NoRoom,

    /// <summary>The caller's token does not allow it (scope, namespace, rate).</summary>
    Forbidden,

    /// <summary>The daemon is starting or stopping.</summary>
    Unavailable,

    /// <summary>The client went quiet mid-request.</summary>
    TimedOut,

    /// <summary>A call this daemon does not know.</summary>
    Unsupported,
}

/// <summary>The gRPC status code of each <see cref="Refusal"/>: gRPC calls, fast-path answers and batch items all carry these.</summary>
public static class RefusalStatus
{
    public static StatusCode Code(this Refusal refusal) => refusal switch
    {
        Refusal.Invalid => StatusCode.InvalidArgument,
        Refusal.NotFound => StatusCode.NotFound,
        Refusal.Precondition => StatusCode.FailedPrecondition,
        Refusal.OutOfRange => StatusCode.OutOfRange,
        Refusal.NoRoom => StatusCode.ResourceExhausted,
        Refusal.Forbidden => StatusCode.PermissionDenied,
        Refusal.Unavailable => StatusCode.Unavailable,
        Refusal.TimedOut => StatusCode.DeadlineExceeded,
        Refusal.Unsupported => StatusCode.Unimplemented,
        _ => StatusCode.Unknown,
    };
}
