using System.Text;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// The files named by the line markers (<c># 12 "path" 2</c>) of gcc's and clang's preprocessed text, absolute. A
/// name spelled with an escape other than <c>\\</c> or <c>\"</c> is left out, so its file stays keyed by content.
/// </summary>
public static class LineMarkers
{
    public static HashSet<string> Files(ReadOnlySpan<byte> text, string workingDirectory)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var name = new List<byte>();
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.Length < 5 || line[0] != '#' || line[1] != ' ' || !char.IsAsciiDigit((char)line[2]))
            {
                continue;
            }
            var quote = line.IndexOf((byte)'"');
            if (quote >= 0 && TryUnquote(line[(quote + 1)..], name) && name.Count > 0 && name[0] != '<')
            {
                files.Add(Path.GetFullPath(Encoding.UTF8.GetString([.. name]), workingDirectory));
            }
        }
        return files;
    }

    private static bool TryUnquote(ReadOnlySpan<byte> quoted, List<byte> name)
    {
        name.Clear();
        for (var i = 0; i < quoted.Length; i++)
        {
            switch (quoted[i])
            {
                case (byte)'"':
                    return true;
                case (byte)'\\' when i + 1 < quoted.Length && quoted[i + 1] is (byte)'\\' or (byte)'"':
                    name.Add(quoted[++i]);
                    break;
                case (byte)'\\':
                    return false;
                default:
                    name.Add(quoted[i]);
                    break;
            }
        }
        return false;
    }
}
