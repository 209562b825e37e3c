namespace CacheFarm.Client.Connection;

/// <summary>
/// When the daemon call under way in this async flow must end. Blocking fast-path calls wait until then and
/// gRPC calls carry it, so a call needs no timer of its own: the first timer of a process starts a thread,
/// and on a busy machine a wrapper that lives for milliseconds spent longer starting it than making the call.
/// </summary>
public static class CallDeadline
{
    private static readonly AsyncLocal<DateTime?> Flow = new();

    /// <summary>The deadline (UTC) of the call under way, or null when it may take as long as it needs.</summary>
    public static DateTime? Current => Flow.Value;

    /// <summary>Sets the deadline for what runs in this flow until the returned scope is disposed, which restores the one before.</summary>
    public static Scope Until(DateTime deadline)
    {
        var previous = Flow.Value;
        Flow.Value = deadline;
        return new Scope(previous);
    }

    /// <summary>Milliseconds left for a poll(2) wait: -1 without a deadline, 0 once it has passed.</summary>
    public static int PollMilliseconds()
    {
        if (Current is not { } deadline)
        {
            return -1;
        }
        var left = (deadline - DateTime.UtcNow).TotalMilliseconds;
        return left <= 0 ? 0 : (int)Math.Min(Math.Ceiling(left), int.MaxValue);
    }

    /// <summary>Puts the previous deadline back.</summary>
    public readonly struct Scope(DateTime? previous) : IDisposable
    {
        public void Dispose() => Flow.Value = previous;
    }
}
