namespace CacheFarm.LoadGen.Running;

/// <summary>The operations a scenario times; each gets its own latency histogram.</summary>
internal enum OperationKind
{
    Read,
    Write,
    FindMissing,
    GetEntry,
}
