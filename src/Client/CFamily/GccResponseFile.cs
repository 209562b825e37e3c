using System.Text;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// <c>@file</c> arguments as the C driver reads them (libiberty's buildargv: whitespace separates, a backslash escapes
/// the next character, quotes group): rustc passes one when a link command is too long for the OS, and build systems pass them to compilers.
/// </summary>
public static class GccResponseFile
{
    private const int MaxDepth = 4;

    /// <summary>The arguments with every readable <c>@file</c> replaced by its contents (nested up to a few levels).</summary>
    public static List<string> Expand(IEnumerable<string> args, int depth = 0)
    {
        var result = new List<string>();
        foreach (var arg in args)
        {
            if (arg.Length > 1 && arg[0] == '@' && depth < MaxDepth && File.Exists(arg[1..]))
            {
                result.AddRange(Expand(Split(File.ReadAllText(arg[1..])), depth + 1));
            }
            else
            {
                result.Add(arg);
            }
        }
        return result;
    }

    public static List<string> Split(string text)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
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
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            result.Add(current.ToString());
        }
        return result;
    }

    /// <summary>One argument per line, with whitespace, quotes and backslashes escaped.</summary>
    public static string Write(IEnumerable<string> args)
    {
        var text = new StringBuilder();
        foreach (var arg in args)
        {
            foreach (var c in arg)
            {
                if (char.IsWhiteSpace(c) || c is '\\' or '\'' or '"')
                {
                    text.Append('\\');
                }
                text.Append(c);
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
