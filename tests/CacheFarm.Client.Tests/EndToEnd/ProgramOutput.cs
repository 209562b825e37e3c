
namespace CacheFarm.Client.Tests.EndToEnd;

/// <summary>What a built fixture does: the output of its binary and the C symbols its cdylib exports.</summary>
public static class ProgramOutput
{
    public static async Task<string> OfFixtureAsync(string workspace)
    {
        var app = await ProcessRun.RunAsync(Path.Combine(workspace, "target", "debug", "fixapp"), [], workspace, new Dictionary<string, string?>());
        Assert.Equal(0, app.ExitCode);
        var symbols = await ProcessRun.RunAsync("nm", ["-D", "--defined-only", Path.Combine(workspace, "target", "debug", "libfixcdylib.so")], workspace, new Dictionary<string, string?>());
        Assert.Equal(0, symbols.ExitCode);
        var exported = symbols.Stdout.Split('\n').Where(l => l.Contains(" T ", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]).Order(StringComparer.Ordinal);
        return app.Stdout + "exports: " + string.Join(',', exported);
    }
}
