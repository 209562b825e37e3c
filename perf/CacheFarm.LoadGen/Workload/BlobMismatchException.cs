namespace CacheFarm.LoadGen.Workload;

/// <summary>A server answered, but not with what was asked for (wrong length, wrong bytes, wrong count).</summary>
internal sealed class BlobMismatchException(string message) : Exception(message);
