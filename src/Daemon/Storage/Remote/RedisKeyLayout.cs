using System.Text;
using CacheFarm.Protos.Wire;
using StackExchange.Redis;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Redis keys: <c>{prefix}:{ns}:b:{sha256}</c> for blobs and <c>{prefix}:{ns}:e:{key}</c> for entries.</summary>
/// <remarks>The namespace name (not its hash) is in the key so operators can see and flush one namespace.</remarks>
internal sealed class RedisKeyLayout(string prefix)
{
    public RedisKey Blob(NamespaceId ns, ContentDigest digest) => Key(ns, 'b', digest.Hash);

    public RedisKey Entry(NamespaceId ns, ReadOnlySpan<byte> key) => Key(ns, 'e', key);

    private RedisKey Key(NamespaceId ns, char kind, ReadOnlySpan<byte> hash)
    {
        var builder = new StringBuilder(prefix.Length + ns.Name.Length + 70);
        builder.Append(prefix).Append(':').Append(ns.Name).Append(':').Append(kind).Append(':').Append(Convert.ToHexStringLower(hash));
        return new RedisKey(builder.ToString());
    }
}
