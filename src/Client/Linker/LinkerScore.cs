namespace CacheFarm.Client.Linker;

/// <summary>A candidate's standing: link time relative to the fastest (1.0 = fastest, null = not comparable yet) and how much link work its comparisons covered.</summary>
public sealed record LinkerScore(string Name, double? Relative, int Samples, long MeasuredUs, bool Settled, long NewestUnixMs);
