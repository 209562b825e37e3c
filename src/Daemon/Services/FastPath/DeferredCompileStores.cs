using System.Collections.Concurrent;
using System.Threading.Channels;
using CacheFarm.Daemon.Hosting;
using CacheFarm.Daemon.Storage;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace CacheFarm.Daemon.Services.FastPath;

/// <summary>
/// Stores handed-over compiles (StoreCompile) after answering, so a wrapper exits as soon as its compile is done;
/// <see cref="StorePacing"/> holds the stores back while the build is busy. Everything that can be refused is
/// refused before the answer; what remains (digest checks, a full disk) is counted and logged. Stopping drains the queue.
/// </summary>
internal sealed class DeferredCompileStores(
    BlobUploads uploads, EntryWrites entryWrites, PendingEntryWrites pending, RequestCounters counters, IdleShutdown idle, ILogger<DeferredCompileStores> logger)
    : IHostedService
{
    /// <summary>
    /// Compiles accepted but not stored yet, each holding its files open; past this a hand-over waits, as a store
    /// made in place would. Storing starts at half of it even while the build runs.
    /// </summary>
    public const int MaxQueued = 256;

    private readonly Channel<Job> _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(MaxQueued) { SingleReader = true });
    private readonly StorePacing _pacing = new(MaxQueued / 2);
    // Queued jobs by their completion, so a lookup waiting for one can have it stored next.
    private readonly ConcurrentDictionary<Task, Job> _byCompletion = new();
    private readonly ConcurrentQueue<Job> _awaited = new();
    private Task _worker = Task.CompletedTask;

    /// <summary>Checks the request, opens its files and queues it; throws a <see cref="RequestRefusedException"/> for what would fail.</summary>
    public async Task AcceptAsync(NamespaceId ns, StoreCompileRequest request, CancellationToken cancellationToken)
    {
        var entries = request.Entries.Select((e, i) => (Key: RequestArguments.EntryKey(e.Key, $"entries[{i}].key"), Entry: EntryWrites.Check(e.Entry))).ToList();
        var blobs = request.Blobs.Select((b, i) => (Digest: RequestArguments.Digest(b.Digest, $"blobs[{i}].digest"), b.Data)).ToList();
        var digests = request.Files.Select((f, i) => RequestArguments.Digest(f.Digest, $"files[{i}].digest")).ToList();
        var files = new List<(ContentDigest Digest, SafeFileHandle Handle)>();
        try
        {
            for (var i = 0; i < digests.Count; i++)
            {
                files.Add((digests[i], ClientFiles.OpenToStore(request.Files[i].Path, digests[i])));
            }
            var job = new Job(ns, blobs, files, entries, request.WorkingSet);
            _byCompletion[job.Done.Task] = job;
            pending.Add(ns, entries.Select(e => e.Key), job.Done.Task);
            // Before the write: the worker may take the job at once, and must see both the arrival (or it takes
            // the build for paused) and the queued count it will decrement.
            _pacing.Arrived();
            Interlocked.Increment(ref counters.DeferredStoresQueued);
            try
            {
                if (!_queue.Writer.TryWrite(job))
                {
                    await _queue.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                Interlocked.Decrement(ref counters.DeferredStoresQueued);
                _byCompletion.TryRemove(job.Done.Task, out _);
                job.Done.TrySetResult();
                throw;
            }
            Interlocked.Increment(ref counters[RequestCounter.DeferredStores]);
        }
        catch (ChannelClosedException)
        {
            Close(files);
            throw new RequestRefusedException(Refusal.Unavailable, "cachefarmd is stopping");
        }
        catch
        {
            Close(files);
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        pending.Awaited += StoreNext;
        _worker = Task.Run(DrainAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stores what was accepted before the stop, within the host's shutdown time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        _pacing.Stop();
        await _worker.WaitAsync(cancellationToken).ConfigureAwait(false);
        pending.Awaited -= StoreNext;
    }

    // A lookup waits for this write: it goes before the rest of the queue (a warm build started right after a
    // cold one otherwise waited for every store queued ahead of it, past its lookup timeout), and every
    // store runs without waiting for spare CPU until the queue is empty.
    private void StoreNext(Task written)
    {
        if (_byCompletion.TryGetValue(written, out var job))
        {
            _awaited.Enqueue(job);
        }
        _pacing.Hurry();
    }

    private async Task DrainAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // An awaited job is also still in the queue: whichever copy comes second is skipped.
            var job = _awaited.TryDequeue(out var awaited) ? awaited : _queue.Reader.TryRead(out var next) ? next : null;
            if (job is null || !job.TryTake())
            {
                continue;
            }
            await _pacing.WaitForTurnAsync(() => _queue.Reader.Count).ConfigureAwait(false);
            idle.Enter();
            try
            {
                await StoreAsync(job).ConfigureAwait(false);
            }
            catch (RequestRefusedException e)
            {
                Interlocked.Increment(ref counters[RequestCounter.DeferredStoreFailures]);
                logger.LogWarning("a handed-over compile was not stored: {Reason}", e.Message);
            }
            catch (Exception e) when (e is IOException or StorageFullException or InvalidOperationException)
            {
                // Whatever one compile's store runs into, the queue behind it still gets stored.
                Interlocked.Increment(ref counters[RequestCounter.DeferredStoreFailures]);
                logger.LogWarning(e, "a handed-over compile was not stored");
            }
            finally
            {
                Close(job.Files);
                _byCompletion.TryRemove(job.Done.Task, out _);
                job.Done.TrySetResult();
                Interlocked.Decrement(ref counters.DeferredStoresQueued);
                if (_queue.Reader.Count == 0)
                {
                    _pacing.Calm();
                }
                idle.Leave();
            }
        }
    }

    private async Task StoreAsync(Job job)
    {
        foreach (var (digest, data) in job.Blobs)
        {
            await uploads.StoreAsync(job.Namespace, digest, data.Memory, CancellationToken.None).ConfigureAwait(false);
        }
        foreach (var (digest, handle) in job.Files)
        {
            // A file changed in place since the hand-over fails this check, and the entries are not stored.
            await uploads.StoreAsync(job.Namespace, digest, ClientFiles.ReadChunksAsync(handle, digest.Size, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
        }
        foreach (var (key, entry) in job.Entries)
        {
            await entryWrites.PutAsync(job.Namespace, key, entry, job.WorkingSet, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void Close(List<(ContentDigest Digest, SafeFileHandle Handle)> files)
    {
        foreach (var (_, handle) in files)
        {
            handle.Dispose();
        }
    }

    private sealed record Job(
        NamespaceId Namespace,
        List<(ContentDigest Digest, Google.Protobuf.ByteString Data)> Blobs,
        List<(ContentDigest Digest, SafeFileHandle Handle)> Files,
        List<(byte[] Key, Entry Entry)> Entries,
        string WorkingSet)
    {
        private int _taken;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True for the one caller that gets to store this job.</summary>
        public bool TryTake() => Interlocked.Exchange(ref _taken, 1) == 0;
    }
}
