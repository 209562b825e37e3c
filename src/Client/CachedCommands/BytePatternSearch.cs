namespace CacheFarm.Client.CachedCommands;

/// <summary>Looks for any of a few byte patterns (checkout paths) in data that arrives in chunks, across chunk borders too.</summary>
public sealed class BytePatternSearch
{
    private readonly byte[][] _patterns;
    private readonly int _overlap;
    // The last (overlap) bytes seen, then the next chunk's first ones: a match across a border lies within.
    private readonly byte[] _border;
    private int _carried;

    public BytePatternSearch(byte[][] patterns)
    {
        _patterns = patterns;
        _overlap = patterns.Length == 0 ? 0 : patterns.Max(p => p.Length) - 1;
        _border = new byte[2 * _overlap];
    }

    public bool Found { get; private set; }

    /// <summary>
    /// The UTF-8 patterns for some paths, less each one that starts with another: data holding the longer path
    /// holds the shorter, so the answer is the same and a nested root (the target dir in the workspace, the
    /// registry in cargo's home) costs no pass of its own over the data.
    /// </summary>
    public static byte[][] Covering(IEnumerable<string> paths)
    {
        var patterns = paths.Select(p => System.Text.Encoding.UTF8.GetBytes(p)).OrderBy(p => p.Length).ToList();
        var kept = new List<byte[]>();
        foreach (var pattern in patterns)
        {
            if (!kept.Any(shorter => pattern.AsSpan().StartsWith(shorter)))
            {
                kept.Add(pattern);
            }
        }
        return [.. kept];
    }

    public static bool ContainsAny(ReadOnlySpan<byte> data, byte[][] patterns)
    {
        foreach (var pattern in patterns)
        {
            if (data.IndexOf(pattern) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (Found || _patterns.Length == 0)
        {
            return;
        }
        var head = chunk[..Math.Min(_overlap, chunk.Length)];
        head.CopyTo(_border.AsSpan(_carried));
        var border = _border.AsSpan(0, _carried + head.Length);
        Found = ContainsAny(border, _patterns) || ContainsAny(chunk, _patterns);
        var tail = chunk.Length >= _overlap ? chunk[^_overlap..] : border[^Math.Min(_overlap, border.Length)..];
        tail.CopyTo(_border);
        _carried = tail.Length;
    }
}
