namespace CacheFarm.LoadGen.Cli;

/// <summary>The outcome of parsing the command line: options, a usage error, or a request for help.</summary>
internal sealed record ParsedCommandLine(LoadGenOptions? Options, string? Error, bool HelpRequested)
{
    public static ParsedCommandLine Help { get; } = new(null, null, true);

    public static ParsedCommandLine Failed(string error) => new(null, error, false);
}
