using System.Runtime.InteropServices;

namespace CacheFarm.LoadGen.Workload;

/// <summary>
/// Pseudo-random blob content addressable by offset: word k of a blob is SplitMix64(seed, k).
/// </summary>
/// <remarks>
/// Random access lets a 100 MiB blob be hashed in one pass and regenerated chunk by chunk in a second
/// pass, so no blob is ever held whole in memory; SplitMix64 runs at several GB/s, leaving the client's
/// CPU to the transport being measured rather than to making up bytes.
/// </remarks>
internal static class SplitMixContent
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/> (a multiple of 8) of blob <paramref name="seed"/>.</summary>
    public static void Fill(ulong seed, long offset, Span<byte> destination)
    {
        if (offset % sizeof(ulong) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "generated content starts on 8-byte boundaries");
        }
        var firstWord = (ulong)(offset / sizeof(ulong));
        var wholeWords = destination.Length / sizeof(ulong);
        var words = MemoryMarshal.Cast<byte, ulong>(destination[..(wholeWords * sizeof(ulong))]);
        var state = State(seed, firstWord);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = Finalize(state);
            state += Gamma;
        }
        var tail = destination[(wholeWords * sizeof(ulong))..];
        if (!tail.IsEmpty)
        {
            Span<byte> last = stackalloc byte[sizeof(ulong)];
            MemoryMarshal.Write(last, Mix(seed, firstWord + (ulong)wholeWords));
            last[..tail.Length].CopyTo(tail);
        }
    }

    /// <summary>An independent seed for item <paramref name="index"/> of purpose <paramref name="stream"/>.</summary>
    public static ulong Derive(ulong seed, ulong stream, ulong index) => Mix(Mix(seed, stream), index);

    private static ulong Mix(ulong seed, ulong index) => Finalize(State(seed, index));

    private static ulong State(ulong seed, ulong index) => seed + ((index + 1) * Gamma);

    private static ulong Finalize(ulong state)
    {
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
