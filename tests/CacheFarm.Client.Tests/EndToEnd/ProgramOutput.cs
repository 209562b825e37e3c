
namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>What a built fixture does: the output of its binary and the C symbols its cdylib exports.</summary>
public static class ProgramOutput
{
    /// <summary>The standard output of a binary the workspace built (target/debug), which must exit 0.</summary>
    public static async Task<string> OfBinaryAsync(string workspace, string name)
    {
        var run = await ProcessRun.RunAsync(Path.Combine(workspace, "target", "debug", name), [], workspace, new Dictionary<string, string?>());
        Assert.Equal(0, run.ExitCode);
        return run.Stdout;
    }

    public static async Task<string> OfFixtureAsync(string workspace)
    {
        var app = await OfBinaryAsync(workspace, "fixapp");
        var symbols = await ProcessRun.RunAsync("nm", ["-D", "--defined-only", Path.Combine(workspace, "target", "debug", "libfixcdylib.so")], workspace, new Dictionary<string, string?>());
        Assert.Equal(0, symbols.ExitCode);
        var exported = symbols.Stdout.Split('\n').Where(l => l.Contains(" T ", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]).Order(StringComparer.Ordinal);
        return app + "exports: " + string.Join(',', exported);
    }
}
