using CacheFarm.Client.Rustc;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Wrapper;

/// <summary>Replays a hit's stdout and stderr byte for byte, with this checkout's paths put back into them.</summary>
public static class OutputReplay
{
    public static async Task WriteAsync(Entry entry, RustcCall call)
    {
        if (!entry.Stdout.IsEmpty)
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(call.Roots.ExpandText(entry.Stdout.Span, call.JsonDiagnostics)).ConfigureAwait(false);
        }
        if (!entry.Stderr.IsEmpty)
        {
            await using var stderr = Console.OpenStandardError();
            await stderr.WriteAsync(call.Roots.ExpandText(entry.Stderr.Span, call.JsonDiagnostics)).ConfigureAwait(false);
        }
    }
}
