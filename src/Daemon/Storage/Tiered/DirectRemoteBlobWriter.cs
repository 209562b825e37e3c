using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>Streams a blob too large for the local tier straight into a remote tier; a failing remote refuses the write.</summary>
internal sealed class DirectRemoteBlobWriter : IBlobWriter
{
    private readonly GuardedRemoteTier _tier;
    private readonly NamespaceId _ns;
    private readonly ContentDigest _digest;
    private readonly IBlobWriter _remote;
    private bool _settled;

    private DirectRemoteBlobWriter(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest, IBlobWriter remote)
    {
        _tier = tier;
        _ns = ns;
        _digest = digest;
        _remote = remote;
    }

    /// <summary>Starts the remote upload; the caller has admitted the request through the tier's breaker.</summary>
    public static async ValueTask<IBlobWriter> BeginAsync(GuardedRemoteTier tier, NamespaceId ns, ContentDigest digest, CancellationToken cancellationToken)
    {
        IBlobWriter remote;
        try
        {
            remote = await tier.Tier.BeginBlobWriteAsync(ns, digest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refusal(tier, digest, e);
        }
        return new DirectRemoteBlobWriter(tier, ns, digest, remote);
    }

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
        _tier.Succeeded();
        _tier.Existence.Record(_ns, _digest, true);
        Interlocked.Increment(ref _tier.Counters[TierCounter.Writes]);
        Interlocked.Add(ref _tier.Counters[TierCounter.BytesWritten], _digest.Size);
    }

    private StorageFullException Refused(Exception error)
    {
        _settled = true;
        return Refusal(_tier, _digest, error);
    }

    private static StorageFullException Refusal(GuardedRemoteTier tier, ContentDigest digest, Exception error)
    {
        tier.Failed(error);
        return new StorageFullException($"blob of {digest.Size} bytes is too large for the local tier and the {tier.Name} tier failed to take it: {error.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            // Abandoned before commit (bad digest, client gone): says nothing about the tier.
            _tier.Abandoned();
        }
        await _remote.DisposeAsync().ConfigureAwait(false);
    }
}
