namespace CacheFarm.Client.Linker;

/// <summary>The linker picked for a link and why, in words a report can show.</summary>
public sealed record LinkerChoice(LinkerCandidate Candidate, string Reason);
