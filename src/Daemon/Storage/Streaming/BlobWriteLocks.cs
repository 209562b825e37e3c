using System.Collections.Concurrent;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Streaming;

/// <summary>Serialises concurrent uploads of one blob so it is stored once and the later writers see it present.</summary>
public sealed class BlobWriteLocks
{
    private readonly ConcurrentDictionary<(string Ns, ContentDigest Digest), Gate> _gates = new();

    public async ValueTask<IDisposable> AcquireAsync(NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        var key = (ns.Name, digest);
        while (true)
        {
            var gate = _gates.GetOrAdd(key, static _ => new Gate());
            lock (gate)
            {
                if (gate.Retired)
                {
                    continue;
                }
                gate.Users++;
            }
            try
            {
                await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Leave(key, gate);
                throw;
            }
            return new Lease(this, key, gate);
        }
    }

    private void Leave((string, ContentDigest) key, Gate gate)
    {
        lock (gate)
        {
            if (--gate.Users > 0)
            {
                return;
            }
            gate.Retired = true;
        }
        _gates.TryRemove(new KeyValuePair<(string, ContentDigest), Gate>(key, gate));
    }

    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;
        public bool Retired;
    }

    private sealed class Lease(BlobWriteLocks owner, (string, ContentDigest) key, Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Semaphore.Release();
                owner.Leave(key, gate);
            }
        }
    }
}
