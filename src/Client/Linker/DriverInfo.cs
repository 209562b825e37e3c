namespace CacheFarm.Client.Linker;

/// <summary>The C compiler driver rustc links through (<c>cc</c> on PATH): version, family, and whether its version supports <c>-fuse-ld=mold</c>.</summary>
public sealed record DriverInfo
{
    public required StampedFile Binary { get; init; }

    /// <summary>The binary <c>cc</c> resolves to (e.g. /usr/bin/x86_64-linux-gnu-gcc-12).</summary>
    public required string ResolvedPath { get; init; }

    public required string Version { get; init; }

    /// <summary>gcc, clang or unknown.</summary>
    public required string Family { get; init; }

    /// <summary>gcc 12.1 or later, or clang: the versions that know <c>-fuse-ld=mold</c>.</summary>
    public bool VersionSupportsMold { get; init; }
}
