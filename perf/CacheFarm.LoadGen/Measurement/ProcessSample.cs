namespace CacheFarm.LoadGen.Measurement;

/// <summary>One reading of a process's CPU time and memory from /proc.</summary>
internal sealed record ProcessSample(TimeSpan CpuTime, long ResidentBytes, long PeakResidentBytes);
