namespace CacheFarm.Client.Linker;

/// <summary>
/// Everything linker detection found on this host, remembered in the data directory's linkers.json with what it
/// depends on: the PATH, the PATH directories' stamps (a linker installed later changes one) and the binaries' stamps.
/// </summary>
public sealed record LinkerInventory
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public string PathVariable { get; init; } = "";

    public List<StampedFile> PathDirectories { get; init; } = [];

    public DriverInfo? Driver { get; init; }

    public List<DetectedLinker> Linkers { get; init; } = [];

    /// <summary>Per rustc sysroot (a host may have several toolchains), newest last.</summary>
    public List<ToolchainLinker> Toolchains { get; init; } = [];

    public long DetectedUnixMs { get; init; }

    public DetectedLinker? Find(string name) => Linkers.Find(l => l.Name == name);

    public ToolchainLinker? Toolchain(string sysroot) => Toolchains.FindLast(t => t.Sysroot == sysroot);

    /// <summary>True while PATH, its directories and every binary detection looked at are as they were.</summary>
    public bool IsCurrent(string pathVariable) =>
        Format == CurrentFormat
        && PathVariable == pathVariable
        && PathDirectories.TrueForAll(d => d.IsCurrent())
        && (Driver is null || Driver.Binary.IsCurrent())
        && Linkers.TrueForAll(l => l.Binary.IsCurrent());
}
