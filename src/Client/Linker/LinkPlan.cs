namespace CacheFarm.Client.Linker;

/// <summary>
/// How one rustc run links. <see cref="KeyArgs"/> choose the linker and go into rustc's arguments before the cache
/// key is computed, so each choice has its own entries; <see cref="RunArgs"/> and <see cref="RunEnvironment"/> put
/// the link shim in front of the C driver and are added only to the command that runs (the shim changes no output).
/// </summary>
public sealed class LinkPlan
{
    private readonly string? _timesFile;
    private readonly LearningContext? _learning;
    private LinkOutcome? _outcome;

    private LinkPlan(string linker, string reason, IReadOnlyList<string> keyArgs, IReadOnlyList<string> runArgs, IReadOnlyDictionary<string, string> runEnvironment, string? timesFile, LearningContext? learning)
    {
        Linker = linker;
        Reason = reason;
        KeyArgs = keyArgs;
        RunArgs = runArgs;
        RunEnvironment = runEnvironment;
        _timesFile = timesFile;
        _learning = learning;
    }

    /// <summary>The linker that links, as reports name it (empty when the call does not link).</summary>
    public string Linker { get; }

    public string Reason { get; }

    public IReadOnlyList<string> KeyArgs { get; }

    public IReadOnlyList<string> RunArgs { get; }

    public IReadOnlyDictionary<string, string> RunEnvironment { get; }

    /// <summary>No linker arguments and no shim: the call does not link, or the linker is not cachefarm's to touch.</summary>
    public static LinkPlan Untouched(string linker, string reason) =>
        new(linker, reason, [], [], new Dictionary<string, string>(), null, null);

    /// <summary>A link through the shim: <paramref name="keyArgs"/> choose the linker, the shim runs <paramref name="driver"/> and reports to <paramref name="timesFile"/>.</summary>
    public static LinkPlan Timed(
        string linker, string reason, IReadOnlyList<string> keyArgs, string shimPath, string driver, string timesFile,
        LinkerCandidate? trial, LearningContext? learning)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LinkShimEnvironment.Driver] = driver,
            [LinkShimEnvironment.Times] = timesFile,
        };
        if (trial is not null)
        {
            environment[LinkShimEnvironment.Trial] = string.Join('\t', trial.DriverArgs);
        }
        return new(linker, reason, keyArgs, ["-C", "linker=" + shimPath], environment, timesFile, learning is null ? null : learning with { Trial = trial });
    }

    /// <summary>After rustc has exited: what the shim measured (read once; the file is removed), fed to auto's learning.</summary>
    public async Task<LinkOutcome> CollectAsync(CancellationToken cancellationToken)
    {
        if (_outcome is not null)
        {
            return _outcome;
        }
        _outcome = LinkOutcome.None;
        if (_timesFile is null || !File.Exists(_timesFile))
        {
            return _outcome;
        }
        try
        {
            var text = await File.ReadAllTextAsync(_timesFile, cancellationToken).ConfigureAwait(false);
            File.Delete(_timesFile);
            _outcome = LinkOutcome.Parse(text, _learning?.Trial?.Display ?? "");
        }
        catch (IOException)
        {
            return _outcome;
        }
        if (_learning is { } learning && _outcome.Links > 0)
        {
            await LinkerLearningStore.UpdateAsync(learning.DataDirectory, state => learning.Learn(state, _outcome), cancellationToken).ConfigureAwait(false);
        }
        return _outcome;
    }
}
