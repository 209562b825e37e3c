using CacheFarm.Protos.Wire;
using StackExchange.Redis;

namespace CacheFarm.LoadGen.Targets;

/// <summary>
/// How blobs and entries map to redis keys: a blob of up to 1 MiB is one key; a larger blob is split
/// into 1 MiB part keys, so neither side of a 100 MiB transfer holds the whole blob in memory.
/// </summary>
internal sealed class RedisKeyLayout(string @namespace)
{
    public const int PartBytes = 1024 * 1024;

    public static bool IsSplit(ContentDigest digest) => digest.Size > PartBytes;

    public static int PartCount(ContentDigest digest) => (int)((digest.Size + PartBytes - 1) / PartBytes);

    public RedisKey Blob(ContentDigest digest) => $"{@namespace}:blob:{digest.Hex}:{digest.Size}";

    public RedisKey Part(ContentDigest digest, int index) => $"{@namespace}:blob:{digest.Hex}:{digest.Size}:part:{index}";

    /// <summary>The key whose presence means the blob is stored: for split blobs, the last part (written last).</summary>
    public RedisKey Presence(ContentDigest digest) => IsSplit(digest) ? Part(digest, PartCount(digest) - 1) : Blob(digest);

    public RedisKey Entry(string key) => $"{@namespace}:entry:{key}";
}
