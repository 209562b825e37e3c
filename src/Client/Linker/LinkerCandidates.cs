namespace CacheFarm.Client.Linker;

/// <summary>
/// The linkers usable on this host for a toolchain: rustc's own default always, and mold, lld and GNU ld when the
/// C driver accepts their <c>-fuse-ld=</c>. gold is detected but never chosen: rustc warns that it is deprecated.
/// CACHEFARM_LINKER_CANDIDATES (comma-separated names) narrows what auto tries.
/// </summary>
public static class LinkerCandidates
{
    public const string FilterVariable = "CACHEFARM_LINKER_CANDIDATES";

    private static readonly string[] ThroughDriver = [LinkerCandidate.Mold, LinkerCandidate.Lld, LinkerCandidate.Bfd];

    public static List<LinkerCandidate> Available(LinkerInventory inventory, ToolchainLinker toolchain)
    {
        var result = new List<LinkerCandidate> { LinkerCandidate.RustcDefault(toolchain) };
        foreach (var name in ThroughDriver)
        {
            if (inventory.Find(name) is { DriverAccepts: true })
            {
                result.Add(LinkerCandidate.ThroughDriver(name));
            }
        }
        return result;
    }

    /// <summary>The candidates auto may try: all available ones, or those named in <paramref name="filter"/> (ignored when it names none available).</summary>
    public static List<LinkerCandidate> ForAuto(List<LinkerCandidate> available, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return available;
        }
        var names = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = available.Where(c => names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        return chosen.Count > 0 ? chosen : available;
    }
}
