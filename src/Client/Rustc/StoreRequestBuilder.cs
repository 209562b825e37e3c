using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// Turns a successful compile into a <see cref="StoreRequest"/>: reads the dep-info for the inputs (plus what a
/// trace of the run found, see <see cref="UnreportedReads"/>), finds and
/// hashes the outputs (checking whether they embed a checkout path), and normalises the printed output.
/// Returns the reason instead when the compile must not be stored.
/// </summary>
public static class StoreRequestBuilder
{
    public static (StoreRequest? Request, string Reason) Build(
        RustcCall call, string firstLevelKey, InputDigestMemo inputMemo, InputManifest manifest, CompileResult result, long compileStartNs, string depInfoPath, TraceLog trace, string dataDirectory)
    {
        if (!File.Exists(depInfoPath))
        {
            return (null, "no dep-info written");
        }
        var (depInfo, refusal) = UnreportedReads.Add(DepInfoFile.Parse(File.ReadAllText(depInfoPath)), trace, call, dataDirectory);
        if (depInfo is null)
        {
            return (null, refusal);
        }
        var files = OutputDiscovery.Find(call.OutputDirectory, call.OutputStem, compileStartNs);
        if (result.ExitCode == 0 && !files.Exists(f => !ProducedOutput.IsDepInfo(f)))
        {
            return (null, "no outputs found");
        }
        var outputs = files.Select(f => ProducedOutput.Read(f, Path.GetFileName(f), call.Roots, scanForRoots: call.RemapPaths)).ToList();
        foreach (var output in outputs.Where(o => !ProducedOutput.IsDepInfo(o.RelativePath)))
        {
            call.Digests.Remember(output.FullPath, output.Digest);
        }
        // Fresh digests, not the lookup's: a file may have changed between the lookup and the compile.
        var inputs = new InputFiles(call, inputMemo);
        var candidate = inputs.CandidateFrom(depInfo, compileStartNs, pathDependent: outputs.Exists(o => o.EmbedsRoot));
        if (candidate is null)
        {
            return (null, "an input changed while rustc ran");
        }
        var request = StoreRequest.ForRun(firstLevelKey, candidate, call.Roots, outputs, result, call.Toolchain.VersionLine, manifest, call.MemoDirectory);
        return (request, "");
    }
}
