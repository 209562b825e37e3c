using System.Globalization;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Linker;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Doctor;

/// <summary>The linker the last build used, the fastest measured on this host, and fast linkers missing from it.</summary>
public static class LinkerCheck
{
    public static async Task<IEnumerable<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        var cwd = context.WorkspaceRoot ?? Environment.CurrentDirectory;
        var rustc = ExecutableLookup.Find(context.Env("RUSTC") is { Length: > 0 } r ? r : "rustc", context.Env("PATH"), cwd);
        if (rustc is null)
        {
            return [new DoctorFinding("linker", DoctorSeverity.Problem, "rustc is not on PATH", [], "put ~/.cargo/bin on PATH, or set RUSTC")];
        }
        var toolchain = await ToolchainIdentity.ResolveAsync(rustc, Path.Combine(context.DataDirectory, "memo"), cancellationToken).ConfigureAwait(false);
        var inventory = await LinkerInventoryCache.LoadAsync(context.DataDirectory, context.Env("PATH") ?? "", cwd, toolchain, false, cancellationToken).ConfigureAwait(false);
        var used = context.LastBuild?.LinkerDecision;
        var details = new List<string>();
        if (used is { } decision)
        {
            details.Add($"the last build linked with {decision.Linker} ({decision.Reason})");
        }
        if (inventory.Toolchain(toolchain.Sysroot) is { } toolchainLinker && inventory.Driver is not null)
        {
            var available = LinkerCandidates.Available(inventory, toolchainLinker);
            var candidates = LinkerCandidates.ForAuto(available, context.Env(LinkerCandidates.FilterVariable));
            var learning = LinkerLearningStore.Read(context.DataDirectory);
            var scores = LinkerRanking.Score(learning.Samples, [.. candidates.Select(c => c.Name)]);
            var display = candidates.ToDictionary(c => c.Name, c => c.Display);
            var measured = scores.Where(s => s.Value.Relative is not null).OrderBy(s => s.Value.Relative).ToList();
            if (measured.Count > 0)
            {
                details.Add("measured here: " + string.Join(", ", measured.Select(s => string.Create(CultureInfo.InvariantCulture, $"{display[s.Key]} {s.Value.Relative:0.00}x"))));
            }
            var policy = LinkerPolicy.Parse(context.Env(LinkerPolicy.Variable));
            var choice = LinkerSelector.Choose(policy, available, candidates, learning);
            details.Add($"cachefarm would link with {choice.Candidate.Display} now: {choice.Reason}");
            // Only a settled measurement counts, and only a forced linker can be the wrong one: auto follows the measurements.
            var fastest = measured.Where(s => s.Value.Settled).Select(s => display[s.Key]).FirstOrDefault();
            var slower = policy.Kind != LinkerPolicyKind.Auto && used is { } u && fastest is not null && u.Linker != fastest;
            var title = slower ? $"the last build linked with {used!.Value.Linker}, but {fastest} measured fastest here"
                : used is { } same ? $"the last build linked with {same.Linker}" : "no link in the last build";
            findings.Add(new DoctorFinding("linker", slower ? DoctorSeverity.Problem : DoctorSeverity.Ok, title, details,
                slower ? "unset CACHEFARM_LINKER (or set it to auto) so cachefarm links with the fastest" : ""));
        }
        else
        {
            details.Add("no C driver (cc) on PATH: rustc links on its own");
            findings.Add(new DoctorFinding("linker", DoctorSeverity.Advice, "linker", details));
        }
        foreach (var (name, package) in new[] { (LinkerCandidate.Mold, "mold"), (LinkerCandidate.Lld, "lld") })
        {
            if (inventory.Find(name) is null)
            {
                findings.Add(new DoctorFinding("linker", DoctorSeverity.Advice, $"{name} is not installed on this host", ["a faster linker than the default for large binaries"],
                    $"install it (apt-get install {package}, dnf install {package}); cachefarm measures and picks it by itself"));
            }
        }
        return findings;
    }
}
