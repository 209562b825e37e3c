namespace CacheFarm.Client.Linker;

/// <summary>
/// A linker found on this host: its binary and <c>--version</c> line, and whether the C driver accepts
/// <c>-fuse-ld=NAME</c> for it (checked by running <c>cc -fuse-ld=NAME -Wl,--version</c>) and which binary it ran.
/// </summary>
public sealed record DetectedLinker
{
    /// <summary>mold, lld, gold or bfd.</summary>
    public required string Name { get; init; }

    public required StampedFile Binary { get; init; }

    public required string Version { get; init; }

    public bool DriverAccepts { get; init; }

    /// <summary>The linker binary the driver ran for <c>-fuse-ld=NAME</c>, when it says.</summary>
    public string DriverUses { get; init; } = "";
}
