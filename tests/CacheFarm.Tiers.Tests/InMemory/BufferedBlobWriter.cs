using CacheFarm.Daemon.Storage;

namespace CacheFarm.Tiers.Tests.InMemory;

/// <summary>Collects appended bytes and hands them over on commit only, as every real writer must.</summary>
internal sealed class BufferedBlobWriter(Func<byte[], CancellationToken, ValueTask> commit) : IBlobWriter
{
    private readonly MemoryStream _bytes = new();

    public ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _bytes.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken) => commit(_bytes.ToArray(), cancellationToken);

    public ValueTask DisposeAsync()
    {
        _bytes.Dispose();
        return ValueTask.CompletedTask;
    }
}
