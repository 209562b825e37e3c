namespace CacheFarm.Daemon.Storage.Tiered;

/// <summary>A local-tier blob writer that, once the blob is committed, queues its upload to the remote tiers.</summary>
internal sealed class WriteBehindBlobWriter(IBlobWriter local, Action onCommitted) : IBlobWriter
{
    public ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => local.AppendAsync(data, cancellationToken);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await local.CommitAsync(cancellationToken).ConfigureAwait(false);
        onCommitted();
    }

    public ValueTask DisposeAsync() => local.DisposeAsync();
}
