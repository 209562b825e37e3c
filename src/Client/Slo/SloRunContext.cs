using CacheFarm.Client.Cargo;

namespace CacheFarm.Client.Slo;

/// <summary>What every scenario of one <c>cachefarm slo</c> run shares.</summary>
public sealed record SloRunContext
{
    public required CargoWorkspace Workspace { get; init; }

    public required string Cargo { get; init; }

    /// <summary>The cachefarm binary, set as RUSTC_WRAPPER for every scenario.</summary>
    public required string Wrapper { get; init; }

    /// <summary>A target directory of its own (target/cachefarm-slo), so measuring leaves the developer's builds alone.</summary>
    public required string TargetDirectory { get; init; }

    public required string TouchFile { get; init; }

    /// <summary>Arguments after <c>--</c>, passed to every cargo build (features, packages).</summary>
    public IReadOnlyList<string> CargoArgs { get; init; } = [];

    public bool Verbose { get; init; }
}
