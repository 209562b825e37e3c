using System.Text;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// Expands gcc's <c>@file</c> arguments as the driver does: whitespace separates arguments, quotes keep it,
/// a backslash takes the next character literally, and an <c>@file</c> inside a file is expanded in turn. An
/// <c>@name</c> that names no file stays as it is, as gcc leaves it. The expansion only tells the wrapper what
/// the compile is; the compiler still gets the original arguments, and the traced compile keys the file's content.
/// </summary>
public static class ResponseFiles
{
    // gcc stops at this depth too; a file that includes itself must not loop.
    private const int MaxDepth = 16;

    /// <exception cref="IOException">A response file exists but cannot be read.</exception>
    public static List<string> Expand(IEnumerable<string> args, string workingDirectory) => Expand(args, workingDirectory, 0);

    private static List<string> Expand(IEnumerable<string> args, string workingDirectory, int depth)
    {
        var result = new List<string>();
        foreach (var arg in args)
        {
            var path = arg.Length > 1 && arg[0] == '@' ? Path.GetFullPath(arg[1..], workingDirectory) : null;
            if (path is null || depth >= MaxDepth || !File.Exists(path))
            {
                result.Add(arg);
                continue;
            }
            result.AddRange(Expand(Split(File.ReadAllText(path)), workingDirectory, depth + 1));
        }
        return result;
    }

    /// <summary>The arguments of a response file's text.</summary>
    public static List<string> Split(string text)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inArgument = true;
            }
            else if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inArgument = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
            }
            else
            {
                current.Append(c);
                inArgument = true;
            }
        }
        if (inArgument)
        {
            result.Add(current.ToString());
        }
        return result;
    }
}
