using CacheFarm.LoadGen.Measurement;

namespace CacheFarm.LoadGen.Running;

/// <summary>What was observed around a measured window besides the operations: time, server and client resources.</summary>
internal sealed record MeasuredWindow(
    TimeSpan Elapsed,
    ProcessSample? ServerBefore,
    ProcessSample? ServerAfter,
    long? ServerPeakResidentBytes,
    TimeSpan ClientCpu);
