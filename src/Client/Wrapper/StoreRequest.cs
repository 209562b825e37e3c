using CacheFarm.Client.Rustc;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Wrapper;

/// <summary>Everything <see cref="EntryStorer"/> writes for one cached command: both keys, the outputs (and the directories of an output tree), the replayable output and the manifest to extend.</summary>
public sealed record StoreRequest(
    string FirstLevelKey,
    string EntryKey,
    IReadOnlyList<ProducedOutput> Outputs,
    byte[] Stdout,
    byte[] Stderr,
    int ExitCode,
    EntryMetadata Metadata,
    InputManifest Manifest,
    ManifestCandidate Candidate,
    string MemoDirectory)
{
    public IReadOnlyList<string> Directories { get; init; } = [];
}
