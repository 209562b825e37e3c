using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Linker;
using CacheFarm.Client.Rustc;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>
/// What a build report needs from one rustc call beyond the cache outcome: gathered before rustc runs (build id,
/// start time, why cargo rebuilt the crate) and stamped onto the call's compile record together with the link shim's timings.
/// </summary>
public sealed class ReportContext
{
    private readonly string _buildId;
    private readonly string _command;
    private readonly long _startUnixUs;
    private readonly string _outDir;
    private readonly string _crateTypes;
    private readonly Func<string> _rebuildCause;

    private ReportContext(string buildId, string command, long startUnixUs, string outDir, string crateTypes, Func<string> rebuildCause, LinkPlan link)
    {
        _buildId = buildId;
        _command = command;
        _startUnixUs = startUnixUs;
        _outDir = outDir;
        _crateTypes = crateTypes;
        _rebuildCause = rebuildCause;
        Link = link;
    }

    public LinkPlan Link { get; }

    /// <summary>Reads what must be read before rustc runs; the rebuild cause is worked out later through <paramref name="stamps"/>, the call's shared stamps.</summary>
    public static ReportContext Create(RustcArgs args, Func<string, string?> env, string workingDirectory, LinkPlan link, DateTimeOffset started, FileStamps stamps)
    {
        var (buildId, command) = BuildIdentity.Current(env);
        var types = args.CrateTypes.Count == 0 && args.Inputs.Count > 0 ? ["bin"] : args.CrateTypes.ToList();
        if (args.Test)
        {
            types = ["test"];
        }
        return new ReportContext(
            buildId,
            command,
            started.ToUnixTimeMilliseconds() * 1000,
            args.OutDir is { } dir ? CheckoutRoots.Absolute(dir, workingDirectory) : "",
            string.Join(',', types),
            RebuildCauseLater(args, workingDirectory, stamps),
            link);
    }

    private static Func<string> RebuildCauseLater(RustcArgs args, string workingDirectory, FileStamps stamps)
    {
        if (args.OutDir is null || args.Inputs.Count != 1)
        {
            return () => "";
        }
        var previous = PreviousDepInfo.Read(args, workingDirectory);
        return () => RebuildCause.Explain(args, previous, workingDirectory, stamps);
    }

    /// <summary>Fills the record's build fields and, for a call that ran rustc, its link timings (read from the shim once rustc has exited).</summary>
    public async Task StampAsync(CompileRecord record, CancellationToken cancellationToken)
    {
        record.BuildId = _buildId;
        record.BuildCommand = _command;
        record.StartUnixUs = _startUnixUs;
        record.OutDir = _outDir;
        record.CrateTypes = _crateTypes;
        record.RebuildCause = _rebuildCause();
        if (record.Outcome == CompileOutcome.Hit || Link.Linker.Length == 0)
        {
            return;
        }
        var outcome = await Link.CollectAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Links == 0 && Link.RunArgs.Count > 0)
        {
            // Timed through the shim, yet nothing linked: rustc stopped earlier (a compile error).
            return;
        }
        record.LinkUs = outcome.LinkUs;
        record.Linker = Link.Linker;
        record.LinkerReason = Link.Reason;
        foreach (var shadow in outcome.ShadowLinks)
        {
            record.LinkTrials.Add(new LinkTrial { Linker = shadow.Candidate, LinkUs = shadow.Us, BaselineUs = shadow.BaselineUs, Failed = shadow.Failed });
        }
    }
}
