using CacheFarm.Protos.Wire;

namespace CacheFarm.Protos.Manifests;

/// <summary>
/// One set of inputs a crate was compiled from: its source files (normalised paths and digests) and the
/// environment variables it read (normalised values; null when unset). <see cref="PathDependent"/> marks
/// outputs that embed a checkout path, whose entry key then includes the real roots.
/// </summary>
public sealed record ManifestCandidate(IReadOnlyList<ManifestInput> Inputs, IReadOnlyList<KeyValuePair<string, string?>> EnvDeps, bool PathDependent)
{
    public bool SameInputs(ManifestCandidate other) =>
        PathDependent == other.PathDependent
        && Inputs.SequenceEqual(other.Inputs)
        && EnvDeps.SequenceEqual(other.EnvDeps);
}

/// <summary>A source file of a candidate: its normalised path and content digest.</summary>
public sealed record ManifestInput(string Path, ContentDigest Digest);
