using CacheFarm.Protos.Wire;

namespace CacheFarm.TestSupport;

/// <summary>Deterministic pseudo-random blobs for tests.</summary>
public static class BlobData
{
    public static byte[] Random(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static ContentDigest DigestOf(byte[] data) => ContentDigest.Of(data);
}
