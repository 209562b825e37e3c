using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Streams a blob too large for the local tier straight into a remote tier; a failing remote refuses the write.</summary>
internal sealed class DirectRemoteBlobWriter(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest) : IBlobWriter
{
    private readonly IBlobWriter _remote = tier.Tier.BeginBlobWrite(ns, digest);
    private bool _settled;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _remote.AppendAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refused(e);
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _remote.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refused(e);
        }
        _settled = true;
        tier.Succeeded();
        tier.Existence.Record(ns, digest, true);
        Interlocked.Increment(ref tier.Counters[TierCounter.Writes]);
        Interlocked.Add(ref tier.Counters[TierCounter.BytesWritten], digest.Size);
    }

    private StorageFullException Refused(Exception error)
    {
        _settled = true;
        tier.Failed(error);
        return new StorageFullException($"blob of {digest.Size} bytes is too large for the local tier and the {tier.Name} tier failed to take it: {error.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            // Abandoned before commit (bad digest, client gone): says nothing about the tier.
            tier.Abandoned();
        }
        await _remote.DisposeAsync().ConfigureAwait(false);
    }
}
