namespace CacheFarm.Client.Linker;

/// <summary>
/// Decides whether a link also runs a shadow link with another candidate: while any candidate is not yet settled
/// (the least measured first), then now and then to re-check: every <see cref="RecheckEvery"/>th link, or when a
/// candidate's newest sample is older than <see cref="RecheckAge"/>.
/// </summary>
public static class TrialPlanner
{
    public const int RecheckEvery = 50;

    public static readonly TimeSpan RecheckAge = TimeSpan.FromDays(3);

    public static LinkerCandidate? Pick(List<LinkerCandidate> candidates, LinkerCandidate chosen, LinkerLearning learning, long nowUnixMs)
    {
        var others = candidates.Where(c => c.Name != chosen.Name).ToList();
        if (others.Count == 0)
        {
            return null;
        }
        var scores = LinkerRanking.Score(learning.Samples, [.. candidates.Select(c => c.Name)]);
        var unsettled = others.Where(c => !scores[c.Name].Settled).OrderBy(c => scores[c.Name].Samples).ThenBy(c => Array.IndexOf(LinkerCandidate.PriorOrder, c.Name)).FirstOrDefault();
        if (unsettled is not null)
        {
            return unsettled;
        }
        var stalest = others.MinBy(c => scores[c.Name].NewestUnixMs)!;
        var due = learning.Links % RecheckEvery == RecheckEvery - 1 || nowUnixMs - scores[stalest.Name].NewestUnixMs > RecheckAge.TotalMilliseconds;
        return due ? stalest : null;
    }
}
