using System.Security.Cryptography;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tests.Connection;

public sealed class Sha256AccumulatorTests
{
    public static IEnumerable<object[]> Lengths() =>
        new[] { 0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65_537, Sha256Accumulator.ManagedLimit, Sha256Accumulator.ManagedLimit + 1, 1 << 20 }
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ManagedAndPlatformSha256AgreeOnEveryLengthAndFeedSize(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var expected = SHA256.HashData(data);

        var managed = new byte[32];
        ManagedSha256.Hash(data, managed);
        Assert.Equal(expected, managed);
        Assert.Equal(expected, Sha256Accumulator.HashData(data));

        foreach (var feed in new[] { 1, 7, 64, 1000, 100_000 })
        {
            using var accumulator = new Sha256Accumulator();
            for (var at = 0; at < data.Length; at += feed)
            {
                accumulator.Append(data.AsSpan(at, Math.Min(feed, data.Length - at)));
            }
            Assert.Equal(expected, accumulator.GetHashAndReset());
        }
    }

    [Fact]
    public void AccumulatorStartsOverAfterEachHash()
    {
        using var accumulator = new Sha256Accumulator();
        accumulator.Append("first"u8);
        accumulator.GetHashAndReset();
        accumulator.Append("second"u8);
        Assert.Equal(SHA256.HashData("second"u8), accumulator.GetHashAndReset());
    }
}
