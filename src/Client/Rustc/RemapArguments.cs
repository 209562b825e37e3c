using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The <c>--remap-path-prefix</c> arguments that make rustc's outputs (debuginfo, panic locations, metadata)
/// independent of where the checkout, target directory, registry and cargo home live.
/// </summary>
public static class RemapArguments
{
    /// <summary>Shortest root first: rustc applies the last matching mapping, so nested roots must come after their parents.</summary>
    public static List<string> For(CheckoutRoots roots) =>
        [.. roots.Roots.Where(r => r.Name != CheckoutRoots.OutDir)
            .OrderBy(r => r.Path.Length)
            .Select(r => $"--remap-path-prefix={r.Path}={r.RemappedTo}")];
}
