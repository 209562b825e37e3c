namespace CacheFarm.LoadGen.Cli;

/// <summary>A command-line mistake, reported with the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
