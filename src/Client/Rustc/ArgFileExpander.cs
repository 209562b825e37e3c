
namespace CacheFarm.Client.Rustc;

/// <summary>Expands rustc's <c>@path</c> arguments the way rustc does: each line of the file is one argument.</summary>
public static class ArgFileExpander
{
    public static List<string> Expand(IEnumerable<string> args, string workingDirectory)
    {
        var expanded = new List<string>();
        foreach (var arg in args)
        {
            if (arg.Length > 1 && arg[0] == '@')
            {
                AddLines(expanded, File.ReadAllText(Path.Combine(workingDirectory, arg[1..])));
            }
            else
            {
                expanded.Add(arg);
            }
        }
        return expanded;
    }

    // Rust's str::lines: split on '\n', drop one trailing '\r' per line, no empty last line after a final '\n'.
    private static void AddLines(List<string> into, string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text[start..] : text[start..end];
            into.Add(line.EndsWith('\r') ? line[..^1] : line);
            if (end < 0)
            {
                break;
            }
            start = end + 1;
        }
    }
}
