using System.Buffers;
using System.Collections.Concurrent;
using FASTER.core;

namespace CacheFarm.Daemon.Storage.Local;

/// <summary>A FASTER hybrid log of byte-string records with pooled sessions, bounded writers and checkpoints.</summary>
internal sealed class FasterRecordStore : IDisposable
{
    private readonly IDevice _device;
    private readonly FasterKV<SpanByte, SpanByte> _store;
    private readonly ClientSessionBuilder _sessionBuilder;
    private readonly ConcurrentBag<Session> _sessions = new();
    private readonly SemaphoreSlim _writers;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);

    public FasterRecordStore(string directory, FasterLayout layout, int maxConcurrentWrites)
    {
        Layout = layout;
        Directory.CreateDirectory(directory);
        var logDir = Path.Combine(directory, "log");
        var checkpointDir = Path.Combine(directory, "checkpoints");
        Directory.CreateDirectory(logDir);
        Directory.CreateDirectory(checkpointDir);
        // Buffered writes: with write-through every page flush is a synchronous disk write that the
        // writers spin on. A killed process loses nothing the kernel already holds, and what a power
        // loss tears is caught by the per-record checksums and read as a miss.
        _device = Devices.CreateLogDevice(Path.Combine(logDir, "hlog"), preallocateFile: false, deleteOnClose: false, recoverDevice: true, disableFileBuffering: false);
        var logSettings = new LogSettings
        {
            LogDevice = _device,
            PageSizeBits = layout.PageSizeBits,
            MemorySizeBits = layout.MemorySizeBits,
            SegmentSizeBits = layout.SegmentSizeBits,
            // Blobs are never updated in place, so a small mutable region only delays flushes.
            MutableFraction = 0.25,
            ReadCacheSettings = null,
        };
        var checkpointSettings = new CheckpointSettings { CheckpointDir = checkpointDir, RemoveOutdated = true };
        _store = new FasterKV<SpanByte, SpanByte>(1L << layout.IndexBucketsBits, logSettings, checkpointSettings, tryRecoverLatest: true);
        _sessionBuilder = _store.For(new SpanByteFunctions<Empty>());
        _writers = new SemaphoreSlim(maxConcurrentWrites, maxConcurrentWrites);
        RecoveredFromCheckpoint = _store.RecoveredVersion > 1 || _store.Log.TailAddress > _store.Log.BeginAddress;
    }

    public FasterLayout Layout { get; }

    public bool RecoveredFromCheckpoint { get; }

    public long BeginAddress => _store.Log.BeginAddress;

    public long TailAddress => _store.Log.TailAddress;

    /// <summary>Reads a record; the caller owns (and must dispose) the returned memory.</summary>
    public async ValueTask<StoredRecord> ReadAsync(byte[] key, CancellationToken cancellationToken = default)
    {
        var session = Rent();
        try
        {
            var pending = StartRead(session, key, cancellationToken);
            var result = await pending.ConfigureAwait(false);
            var (status, output) = result.Complete(out var metadata);
            if (!status.Found)
            {
                output.Memory?.Dispose();
                return StoredRecord.Missing;
            }
            if (output.IsSpanByte)
            {
                // Only a zero-length value lands in the (empty) inline output; ours never are.
                return StoredRecord.Missing;
            }
            return new StoredRecord(output.Memory, output.Length, metadata.Address);
        }
        finally
        {
            Return(session);
        }
    }

    /// <summary>Writes a record and returns its log address; at most a bounded number of writers run at once.</summary>
    /// <remarks>A synchronous upsert blocks its thread while the log flushes when ingest outruns the disk.</remarks>
    public async ValueTask<long> UpsertAsync(byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = Rent();
            try
            {
                return Upsert(session, key, value.Span);
            }
            finally
            {
                Return(session);
            }
        }
        finally
        {
            _writers.Release();
        }
    }

    public void Delete(byte[] key)
    {
        var session = Rent();
        try
        {
            Delete(session, key);
        }
        finally
        {
            Return(session);
        }
    }

    /// <summary>Drops every record below <paramref name="address"/> (rounded down to a page); files go at the next checkpoint.</summary>
    public void ShiftBeginAddress(long address)
    {
        if (address > _store.Log.BeginAddress)
        {
            _store.Log.ShiftBeginAddress(Math.Min(address, _store.Log.TailAddress), snapToPageStart: true, truncateLog: false);
        }
    }

    /// <summary>Takes a full fold-over checkpoint; also deletes log segments below the begin address.</summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (success, _) = await _store.TakeFullCheckpointAsync(CheckpointType.FoldOver, cancellationToken).ConfigureAwait(false);
            return success;
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private static unsafe ValueTask<FasterKV<SpanByte, SpanByte>.ReadAsyncResult<SpanByte, SpanByteAndMemory, Empty>> StartRead(
        Session session, byte[] key, CancellationToken cancellationToken)
    {
        // FASTER copies the key before the read goes pending, so the pin only has to cover this call.
        fixed (byte* k = key)
        {
            var keySpan = SpanByte.FromPointer(k, key.Length);
            var input = default(SpanByte);
            var options = default(ReadOptions);
            return session.ReadAsync(ref keySpan, ref input, ref options, default, 0, cancellationToken);
        }
    }

    private static unsafe long Upsert(Session session, byte[] key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var keySpan = SpanByte.FromPointer(k, key.Length);
            var valueSpan = SpanByte.FromPointer(v, value.Length);
            var input = default(SpanByte);
            var output = default(SpanByteAndMemory);
            session.Upsert(ref keySpan, ref input, ref valueSpan, ref output, out var metadata);
            output.Memory?.Dispose();
            return metadata.Address;
        }
    }

    private static unsafe void Delete(Session session, byte[] key)
    {
        fixed (byte* k = key)
        {
            var keySpan = SpanByte.FromPointer(k, key.Length);
            session.Delete(ref keySpan);
        }
    }

    private Session Rent() => _sessions.TryTake(out var session) ? session : _sessionBuilder.NewSession<SpanByteFunctions<Empty>>();

    private void Return(Session session) => _sessions.Add(session);

    public void Dispose()
    {
        while (_sessions.TryTake(out var session))
        {
            session.Dispose();
        }
        _store.Dispose();
        _device.Dispose();
        _writers.Dispose();
        _checkpointGate.Dispose();
    }
}

/// <summary>A record read from the log: pooled bytes (owned by the receiver) and the record's address.</summary>
internal readonly record struct StoredRecord(IMemoryOwner<byte>? Memory, int Length, long Address)
{
    public static StoredRecord Missing => default;

    public bool Found => Memory is not null;

    public ReadOnlySpan<byte> Span => Memory is null ? default : Memory.Memory.Span[..Length];
}
