using System.Security.Cryptography;
using System.Text;
using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Daemon.Storage.Prefetch;

/// <summary>
/// A working set's record as the cache stores it: an entry, under a key derived from the working set's name, whose
/// stdout holds the 32-byte entry keys the last build looked up, in the order it first looked them up.
/// </summary>
/// <remarks>
/// Stored as an entry, it goes through the tier chain like any other (write-behind to Redis, S3 or a shared
/// daemon), so a fresh runner's daemon finds what an earlier runner recorded. The key prefix keeps it apart from
/// every compile key, which is a hash of other text.
/// </remarks>
public static class WorkingSetRecord
{
    public const string Tool = "cachefarm working set v1";

    public const int KeyLength = 32;

    /// <summary>Longest working-set name accepted; longer ones are not recorded.</summary>
    public const int MaxNameLength = 1024;

    public static byte[] KeyOf(string name) => SHA256.HashData(Encoding.UTF8.GetBytes(Tool + "\n" + name));

    public static Entry ToEntry(IReadOnlyList<byte[]> keys, long nowUnixMs)
    {
        var bytes = new byte[keys.Count * KeyLength];
        for (var i = 0; i < keys.Count; i++)
        {
            keys[i].CopyTo(bytes, i * KeyLength);
        }
        return new Entry
        {
            Stdout = UnsafeByteOperations.UnsafeWrap(bytes),
            Metadata = new EntryMetadata { Tool = Tool, CreatedUnixMs = nowUnixMs, Host = Environment.MachineName },
        };
    }

    /// <summary>The recorded keys, or null when the entry is not a working-set record (then nothing is prefetched).</summary>
    public static List<byte[]>? TryParse(Entry entry, int maxKeys)
    {
        var bytes = entry.Stdout.Span;
        if (entry.Metadata?.Tool != Tool || bytes.Length % KeyLength != 0)
        {
            return null;
        }
        var count = Math.Min(bytes.Length / KeyLength, maxKeys);
        var keys = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            keys.Add(bytes.Slice(i * KeyLength, KeyLength).ToArray());
        }
        return keys;
    }
}
