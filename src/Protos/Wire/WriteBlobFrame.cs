using CacheFarm.Protos.V1;

namespace CacheFarm.Protos.Wire;

/// <summary>One message of a WriteBlob stream: namespace and digest (first message only) and pooled data.</summary>
public sealed class WriteBlobFrame : IDisposable
{
    public WriteBlobFrame(string? @namespace, Digest? digest, BlobChunk data)
    {
        Namespace = @namespace;
        Digest = digest;
        Data = data;
    }

    public string? Namespace { get; }

    public Digest? Digest { get; }

    public BlobChunk Data { get; }

    public void Dispose() => Data.Dispose();
}
