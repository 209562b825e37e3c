namespace CacheFarm.Client.Reports;

/// <summary>Links made by one linker in a build: how many, their total and longest time (µs), and for shadow links the real links' total on the same jobs.</summary>
public sealed record LinkerTotal(string Linker, int Links, long TotalUs, long LongestUs, long BaselineUs);
