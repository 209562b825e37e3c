using System.Globalization;

namespace CacheFarm.Client.Linker;

/// <summary>
/// Picks the linker for a link from the policy: a forced one when it is usable here (else rustc's own, saying
/// why), or under auto the fastest measured on this host, starting from a prior until enough is measured.
/// </summary>
public static class LinkerSelector
{
    public static LinkerChoice Choose(LinkerPolicy policy, List<LinkerCandidate> available, List<LinkerCandidate> autoCandidates, LinkerLearning learning)
    {
        var rustcDefault = available.First(c => c.Name == LinkerCandidate.Default);
        if (policy.ForcedCandidate is { } forced)
        {
            return available.Find(c => c.Name == forced) is { } usable
                ? new LinkerChoice(usable, $"CACHEFARM_LINKER={policy.Kind.ToString().ToLowerInvariant()}")
                : new LinkerChoice(rustcDefault, $"CACHEFARM_LINKER={forced}, but cc cannot use {forced} here: rustc's own linker");
        }
        var choice = ChooseAuto(autoCandidates, learning);
        return policy.Unrecognised is { } text ? choice with { Reason = $"CACHEFARM_LINKER={text} not understood, auto: {choice.Reason}" } : choice;
    }

    /// <summary>auto: the fastest candidate, keeping the current one unless another beats it by the switch margin; the prior until every candidate is measured.</summary>
    public static LinkerChoice ChooseAuto(List<LinkerCandidate> candidates, LinkerLearning learning)
    {
        if (candidates.Count == 1)
        {
            return new LinkerChoice(candidates[0], "auto, the only candidate");
        }
        var scores = LinkerRanking.Score(learning.Samples, [.. candidates.Select(c => c.Name)]);
        var unsettled = candidates.Where(c => scores[c.Name] is not { Settled: true, Relative: not null }).ToList();
        if (unsettled.Count > 0)
        {
            var prior = Prior(candidates);
            return new LinkerChoice(prior, $"auto, still measuring {string.Join(", ", unsettled.Select(c => c.Display))} ({learning.Samples.Count} shadow links so far): {PriorReason(prior)}");
        }
        var best = candidates.MinBy(c => scores[c.Name].Relative!.Value)!;
        var current = candidates.Find(c => c.Name == learning.Choice);
        var pick = current is not null && scores[current.Name].Relative!.Value <= scores[best.Name].Relative!.Value * LinkerRanking.SwitchMargin ? current : best;
        var ranking = string.Join(", ", candidates.OrderBy(c => scores[c.Name].Relative).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Display} {scores[c.Name].Relative:0.00}x")));
        var kept = pick != best ? $" (kept: within {(LinkerRanking.SwitchMargin - 1) * 100:0}% of the fastest)" : "";
        return new LinkerChoice(pick, $"auto, fastest measured here{kept}: {ranking} ({learning.Samples.Count} shadow links)");
    }

    // rustc's self-contained lld is both the default and fast where it exists; elsewhere mold, then lld, then cc's own.
    private static LinkerCandidate Prior(List<LinkerCandidate> candidates)
    {
        var selfContained = candidates.Find(c => c.Name == LinkerCandidate.Default && c.Display == "rust-lld");
        return selfContained ?? LinkerCandidate.PriorOrder.Select(n => candidates.Find(c => c.Name == n)).OfType<LinkerCandidate>().FirstOrDefault() ?? candidates[0];
    }

    private static string PriorReason(LinkerCandidate prior) => prior.Name switch
    {
        LinkerCandidate.Default when prior.Display == "rust-lld" => "rustc's own rust-lld until then",
        LinkerCandidate.Default => "rustc's own linker until then",
        _ => $"{prior.Display} until then",
    };
}
