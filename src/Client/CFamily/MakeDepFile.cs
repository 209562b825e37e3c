using System.Text;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// The prerequisites of the one rule a compiler's <c>-MD -MF</c> depfile holds, unescaped as gcc and clang escape
/// them (<c>\ </c>, <c>\#</c>, <c>$$</c>, backslash-newline continuations).
/// </summary>
public static class MakeDepFile
{
    /// <summary>The files after the first <c>target:</c>, as written (relative names stay relative).</summary>
    public static List<string> Prerequisites(string text)
    {
        var rule = text.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        var colon = rule.IndexOf(": ", StringComparison.Ordinal);
        var files = new List<string>();
        if (colon < 0)
        {
            return files;
        }
        var name = new StringBuilder();
        for (var i = colon + 2; i < rule.Length && rule[i] != '\n'; i++)
        {
            var c = rule[i];
            if (c == '\\' && i + 1 < rule.Length && rule[i + 1] is ' ' or '#')
            {
                name.Append(rule[++i]);
            }
            else if (c == '$' && i + 1 < rule.Length && rule[i + 1] == '$')
            {
                name.Append(rule[++i]);
            }
            else if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else
            {
                name.Append(c);
            }
        }
        Flush();
        return files;

        void Flush()
        {
            if (name.Length > 0)
            {
                files.Add(name.ToString());
                name.Clear();
            }
        }
    }
}
