namespace CacheFarm.Client.Linker;

/// <summary>
/// What auto has learned on this host (linker-timings.json): shadow-link samples, how many real links it has
/// seen, and the choice it settled on with the reason, kept so a choice only changes on a clear difference.
/// </summary>
public sealed record LinkerLearning
{
    public const int CurrentFormat = 1;

    /// <summary>Newest samples kept; older ones fall out, so a linker that got faster is noticed.</summary>
    public const int MaxSamples = 240;

    public static readonly TimeSpan MaxSampleAge = TimeSpan.FromDays(30);

    public int Format { get; init; } = CurrentFormat;

    public List<LinkSample> Samples { get; init; } = [];

    public long Links { get; init; }

    /// <summary>The candidate auto uses, or empty before anything was measured.</summary>
    public string Choice { get; init; } = "";

    public string ChoiceReason { get; init; } = "";
}

/// <summary>One link job linked twice: by the baseline (the real link) and by a candidate (the shadow link), in microseconds.</summary>
public sealed record LinkSample(string Baseline, string Candidate, long BaselineUs, long CandidateUs, long AtUnixMs);
