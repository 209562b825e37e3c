namespace CacheFarm.Client.Linker;

/// <summary>What auto needs to learn from a link: where its history lives, the candidates, the chosen one and the shadow-link candidate.</summary>
public sealed record LearningContext(string DataDirectory, List<LinkerCandidate> Candidates, LinkerCandidate Chosen)
{
    /// <summary>A failed shadow link counts as this many times slower than the real one: a linker that cannot link a job should not win.</summary>
    public const int FailurePenalty = 10;

    public LinkerCandidate? Trial { get; init; }

    /// <summary>The history with this run's links counted and its shadow links added, old samples dropped, and the choice re-made.</summary>
    public LinkerLearning Learn(LinkerLearning state, LinkOutcome outcome)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var samples = state.Samples.Where(s => now - s.AtUnixMs < LinkerLearning.MaxSampleAge.TotalMilliseconds).ToList();
        if (Trial is not null)
        {
            samples.AddRange(outcome.ShadowLinks.Where(s => s.BaselineUs > 0).Select(s =>
                new LinkSample(Chosen.Name, Trial.Name, s.BaselineUs, s.Failed ? s.BaselineUs * FailurePenalty : s.Us, now)));
        }
        var updated = state with
        {
            Links = state.Links + outcome.Links,
            Samples = samples.Count > LinkerLearning.MaxSamples ? samples[^LinkerLearning.MaxSamples..] : samples,
        };
        var choice = LinkerSelector.ChooseAuto(Candidates, updated);
        return updated with { Choice = choice.Candidate.Name, ChoiceReason = choice.Reason };
    }
}
