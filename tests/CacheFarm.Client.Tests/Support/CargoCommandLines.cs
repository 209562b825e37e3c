namespace CacheFarm.Client.Tests.Support;

/// <summary>The rustc command lines captured from real `cargo build/test/check -v` runs (TestData/cargo-command-lines.txt), by label.</summary>
public static class CargoCommandLines
{
    private static readonly Lazy<Dictionary<string, List<string>>> Lines = new(Load);

    /// <summary>The arguments after the rustc path.</summary>
    public static List<string> Arguments(string label) =>
        Lines.Value.TryGetValue(label, out var words) ? words[1..] : throw new KeyNotFoundException($"no captured command line labelled '{label}'");

    private static Dictionary<string, List<string>> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "cargo-command-lines.txt");
        return File.ReadAllLines(path)
            .Where(l => l.Contains('\t'))
            .ToDictionary(l => l[..l.IndexOf('\t')], l => ShellWords.Split(l[(l.IndexOf('\t') + 1)..]));
    }
}
