namespace CacheFarm.Client.Tests.Support;

/// <summary>One line of CACHEFARM_LOG: what the wrapper did with one rustc call, build-script run or C/C++ compile.</summary>
public sealed record WrapperLogEntry(string Outcome, string Crate, string Reason, long TotalUs, string Detail, string Unit)
{
    public static List<WrapperLogEntry> ReadAll(string path) =>
        !File.Exists(path)
            ? []
            : [.. File.ReadAllLines(path).Select(l => l.Split('\t')).Select(f => new WrapperLogEntry(f[0], f[1], f[2], long.Parse(f[3]), f[7], f[8]))];

    /// <summary>A run of a build script (unit <c>package/build-script</c>), not a rustc call.</summary>
    public bool IsBuildScriptRun => Unit.EndsWith("/build-script", StringComparison.Ordinal);

    /// <summary>A C or C++ compiler call (unit <c>cc:source</c>), not a rustc call.</summary>
    public bool IsCCompile => Unit.StartsWith("cc:", StringComparison.Ordinal);

    public override string ToString() => $"{Outcome} {Unit} {Reason} {Detail}";
}
