using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace CacheFarm.LinkShaper;

/// <summary>One direction of a proxied connection: bytes are read as they come, and each read is sent on once the delay has passed and the rate allows.</summary>
internal sealed class ShapedDirection(Socket from, Socket to, LinkShape shape)
{
    private const int ReadBytes = 64 << 10;

    // Reads waiting for their send time; unbounded in count but bounded in time, since each waits at most the delay plus the rate's backlog.
    private readonly Channel<(long ReadyTicks, byte[] Buffer, int Length)> _inFlight = Channel.CreateUnbounded<(long, byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Pumps until either side closes; then the other side is shut down for sending, as the peer did.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(ReceiveAsync(cancellationToken), SendAsync(cancellationToken));

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
                int read;
                try
                {
                    read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }
                var ready = Stopwatch.GetTimestamp() + (long)(shape.OneWayDelay.TotalSeconds * Stopwatch.Frequency);
                await _inFlight.Writer.WriteAsync((ready, buffer, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away; the send loop ends with it.
        }
        finally
        {
            _inFlight.Writer.TryComplete();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var lineFree = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var (readyTicks, buffer, length) in _inFlight.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // The bytes leave once they have crossed the delay and the line has finished the previous ones.
                    var sendAt = Math.Max(readyTicks, lineFree);
                    lineFree = sendAt + (long)(length / shape.BytesPerSecond * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), sendAt);
                    if (wait > TimeSpan.Zero)
                    {
                        // Timers count whole milliseconds and drop the rest: round up, never send early.
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
                    }
                    await to.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away: the connection is over.
        }
    }
}
