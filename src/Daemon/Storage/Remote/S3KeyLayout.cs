using CacheFarm.Protos.Wire;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Object keys: <c>{prefix}/{ns}/cas/{hh}/{sha256}</c> for blobs, <c>{prefix}/{ns}/ac/{hh}/{key}</c> for entries.</summary>
/// <remarks>The hash right after a short fixed prefix spreads keys over S3's partitions.</remarks>
internal sealed class S3KeyLayout(string prefix)
{
    private readonly string _prefix = prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";

    public string Blob(NamespaceId ns, ContentDigest digest) => Key(ns, "cas", digest.Hex);

    public string Entry(NamespaceId ns, ReadOnlySpan<byte> key) => Key(ns, "ac", Convert.ToHexStringLower(key));

    private string Key(NamespaceId ns, string kind, string hex) => $"{_prefix}{ns.Name}/{kind}/{hex[..2]}/{hex}";
}
