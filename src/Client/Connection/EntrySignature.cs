using System.Security.Cryptography;
using System.Text;
using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Client.Connection;

/// <summary>HMAC-SHA256 over an entry, its key and its namespace, so a signed entry cannot be replayed under another key.</summary>
public static class EntrySignature
{
    public static void Sign(Entry entry, string @namespace, string key, byte[] secret) =>
        entry.Signature = ByteString.CopyFrom(Compute(entry, @namespace, key, secret));

    public static bool IsValid(Entry entry, string @namespace, string key, byte[] secret) =>
        entry.Signature.Length == 32 && CryptographicOperations.FixedTimeEquals(entry.Signature.Span, Compute(entry, @namespace, key, secret));

    private static byte[] Compute(Entry entry, string @namespace, string key, byte[] secret)
    {
        var unsigned = entry.Clone();
        unsigned.Signature = ByteString.Empty;
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.UTF8.GetBytes($"cachefarm-entry-v1\0{(@namespace.Length == 0 ? "default" : @namespace)}\0{key}\0"));
        hmac.AppendData(unsigned.ToByteArray());
        return hmac.GetHashAndReset();
    }
}
