using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CachedCommands;

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

    /// <summary>The request for a finished run: the entry key from its candidate, its printed output with the roots as placeholders.</summary>
    public static StoreRequest ForRun(
        string firstLevelKey, ManifestCandidate candidate, CheckoutRoots roots, IReadOnlyList<ProducedOutput> outputs, CompileResult result, string tool, InputManifest manifest, string memoDirectory)
    {
        var metadata = new EntryMetadata
        {
            Tool = tool,
            CompileDurationUs = (long)result.Duration.TotalMicroseconds,
            CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Host = Environment.MachineName,
        };
        return new StoreRequest(
            firstLevelKey, CachedCommands.EntryKey.Compute(firstLevelKey, candidate, roots), outputs,
            roots.NormalizeText(result.Stdout), roots.NormalizeText(result.Stderr), result.ExitCode,
            metadata, manifest, candidate, memoDirectory);
    }
}
