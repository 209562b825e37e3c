using System.Text;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// A rustc dep-info (.d) file: the files the crate read (every rule's prerequisites) and the environment
/// variables it read (<c># env-dep:NAME=VALUE</c> lines; no '=' when the variable was unset).
/// </summary>
public sealed class DepInfoFile
{
    private DepInfoFile(List<string> files, List<KeyValuePair<string, string?>> envDeps)
    {
        Files = files;
        EnvDeps = envDeps;
    }

    /// <summary>Input files in first-seen order, as rustc wrote them (relative to its working directory or absolute).</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> EnvDeps { get; }

    /// <summary>This dep-info with more input files and variables, as a traced run found them.</summary>
    public DepInfoFile With(IEnumerable<string> files, IEnumerable<KeyValuePair<string, string?>> envDeps) =>
        new([.. Files, .. files], [.. EnvDeps, .. envDeps]);

    public static DepInfoFile Parse(string text)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var envDeps = new List<KeyValuePair<string, string?>>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("# env-dep:", StringComparison.Ordinal))
            {
                var entry = line["# env-dep:".Length..];
                var eq = entry.IndexOf('=');
                envDeps.Add(eq < 0 ? new(entry, null) : new(entry[..eq], UnescapeEnv(entry[(eq + 1)..])));
                continue;
            }
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var words = SplitEscaped(line);
            var colon = words.FindIndex(w => w.EndsWith(':'));
            if (colon < 0)
            {
                continue;
            }
            if (colon == words.Count - 1)
            {
                // "file:" with nothing after it: the phony rule rustc writes for each prerequisite.
                continue;
            }
            foreach (var target in words.Take(colon + 1))
            {
                targets.Add(target.TrimEnd(':'));
            }
            foreach (var prerequisite in words.Skip(colon + 1))
            {
                if (seen.Add(prerequisite))
                {
                    files.Add(prerequisite);
                }
            }
        }
        files.RemoveAll(targets.Contains);
        return new DepInfoFile(files, envDeps);
    }

    // rustc escapes spaces in file names as "\ "; everything else is literal.
    private static List<string> SplitEscaped(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == ' ')
            {
                current.Append(' ');
                i++;
            }
            else if (c == ' ')
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    // rustc writes '\n', '\r' and '\\' in env-dep values as two-character escapes.
    private static string UnescapeEnv(string value)
    {
        if (!value.Contains('\\'))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
            }
            else
            {
                sb.Append(value[i]);
            }
        }
        return sb.ToString();
    }
}
