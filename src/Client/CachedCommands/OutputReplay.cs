using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CachedCommands;

/// <summary>Replays a hit's stdout and stderr byte for byte, with this checkout's paths put back into them.</summary>
/// <remarks>
/// Synchronous on purpose: console streams write synchronously anyway, and their WriteAsync would start a
/// thread-pool thread just to make that call, which is a noticeable part of a hit that takes milliseconds.
/// </remarks>
public static class OutputReplay
{
    public static void Write(Entry entry, CheckoutRoots roots, bool jsonEscape)
    {
        if (!entry.Stdout.IsEmpty)
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(roots.ExpandText(entry.Stdout.Span, jsonEscape));
        }
        if (!entry.Stderr.IsEmpty)
        {
            using var stderr = Console.OpenStandardError();
            stderr.Write(roots.ExpandText(entry.Stderr.Span, jsonEscape));
        }
    }
}
