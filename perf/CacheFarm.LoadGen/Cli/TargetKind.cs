namespace CacheFarm.LoadGen.Cli;

/// <summary>The kinds of server the load generator can drive.</summary>
internal enum TargetKind
{
    Cachefarmd,
    Redis,
}
