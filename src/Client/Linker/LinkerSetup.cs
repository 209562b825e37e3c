using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Linker;

/// <summary>
/// Plans the link of one rustc call: nothing when it does not link, the target is not x86_64/aarch64 Linux (gnu),
/// CACHEFARM_LINKER=off, or the user replaced the linker driver; timing only when the user chose the linker some
/// other way; otherwise the policy's linker, timed through the shim, with a shadow link when auto is measuring
/// (never for build scripts and proc-macros).
/// A problem here (no cc, an unreadable file) leaves the link to rustc: it never fails a build.
/// </summary>
public static class LinkerSetup
{
    private static readonly string[] ManagedHosts = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];

    public static async Task<LinkPlan> PlanAsync(RustcArgs args, Func<string, string?> env, string workingDirectory, ToolchainLookup toolchains, string dataDirectory, CancellationToken cancellationToken)
    {
        // Probes (no input, stdin, --print) link nothing even when they name a linking crate type.
        if (!args.Links || args.Inputs.Count != 1 || args.Inputs[0] == "-" || args.Prints.Count > 0)
        {
            return LinkPlan.Untouched("", "");
        }
        var policy = LinkerPolicy.Parse(env(LinkerPolicy.Variable));
        if (policy.Kind == LinkerPolicyKind.Off)
        {
            return LinkPlan.Untouched("", "CACHEFARM_LINKER=off");
        }
        var user = UserLinkerSetting.Find(args);
        if (user is { ReplacesDriver: true })
        {
            return LinkPlan.Untouched(user.Linker, "set by the user: " + user.Description);
        }
        try
        {
            var toolchain = await toolchains.ResolveAsync(cancellationToken).ConfigureAwait(false);
            if (!ManagedHosts.Contains(toolchain.Host) || (args.Target is { } target && target != toolchain.Host))
            {
                return LinkPlan.Untouched("", $"not managed for {args.Target ?? toolchain.Host}");
            }
            var inventory = await LinkerInventoryCache.LoadAsync(dataDirectory, env("PATH") ?? "", workingDirectory, toolchain, forceDetection: false, cancellationToken).ConfigureAwait(false);
            if (inventory.Driver is not { } driver || inventory.Toolchain(toolchain.Sysroot) is not { } toolchainLinker)
            {
                return LinkPlan.Untouched("", "no cc on PATH");
            }
            if (Environment.ProcessPath is not { } shim)
            {
                return LinkPlan.Untouched("", "linker setup failed: cachefarm's own path is unknown");
            }
            var scratch = Path.Combine(dataDirectory, "tmp");
            Directory.CreateDirectory(scratch);
            var timesFile = Path.Combine(scratch, $"link-{Environment.ProcessId}-{Random.Shared.Next():x}.times");
            if (user is not null)
            {
                return LinkPlan.Timed(user.Linker, "set by the user: " + user.Description, [], shim, driver.Binary.Path, timesFile, null, null);
            }
            var available = LinkerCandidates.Available(inventory, toolchainLinker);
            var autoCandidates = LinkerCandidates.ForAuto(available, env(LinkerCandidates.FilterVariable));
            var learning = policy.Kind == LinkerPolicyKind.Auto ? LinkerLearningStore.Read(dataDirectory) : new LinkerLearning();
            var choice = LinkerSelector.Choose(policy, available, autoCandidates, learning);
            if (policy.Kind != LinkerPolicyKind.Auto)
            {
                return LinkPlan.Timed(choice.Candidate.Display, choice.Reason, choice.Candidate.RustcArgs, shim, driver.Binary.Path, timesFile, null, null);
            }
            // Shadow links measure what a developer waits on again and again: binaries, tests, dylibs. Build scripts and
            // proc-macros link once per clean build, on its critical path, and are too small to weigh in the ranking.
            var trial = args.IsBuildTool ? null : TrialPlanner.Pick(autoCandidates, choice.Candidate, learning, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var context = new LearningContext(dataDirectory, autoCandidates, choice.Candidate);
            return LinkPlan.Timed(choice.Candidate.Display, choice.Reason, choice.Candidate.RustcArgs, shim, driver.Binary.Path, timesFile, trial, context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ToolchainProbeException or System.ComponentModel.Win32Exception)
        {
            return LinkPlan.Untouched("", "linker setup failed: " + e.Message);
        }
    }
}
