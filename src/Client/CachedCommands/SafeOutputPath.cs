using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Where an entry's output may be written: strictly inside the output directory, by a relative path without
/// '..' or odd characters, and never through a symlink that leads out of it. A cache that could place files
/// anywhere would let one poisoned entry overwrite files on every machine that hits it.
/// </summary>
public static class SafeOutputPath
{
    /// <summary>The absolute target for <paramref name="relativePath"/>, or null when the path must be refused.</summary>
    public static string? Resolve(string outputDirectory, string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.Length > 4096 || relativePath[0] == '/'
            || relativePath.Contains('\\') || relativePath.Any(char.IsControl))
        {
            return null;
        }
        if (relativePath.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return null;
        }
        var root = Path.GetFullPath(outputDirectory);
        var target = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!target.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return null;
        }
        // Every directory between the root and the file must be a real directory, not a link out.
        for (var dir = Path.GetDirectoryName(target); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (new DirectoryInfo(dir) is { Exists: true, LinkTarget: not null })
            {
                return null;
            }
        }
        return target;
    }
}
