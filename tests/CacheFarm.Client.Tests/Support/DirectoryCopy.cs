namespace CacheFarm.Client.Tests.Support;

/// <summary>Copies a source tree (without any target/ directory), leaving every file writable, as a fresh clone would be.</summary>
public static class DirectoryCopy
{
    public static string Run(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, dir);
            if (!IsTarget(relative))
            {
                Directory.CreateDirectory(Path.Combine(to, relative));
            }
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (!IsTarget(relative))
            {
                var target = Path.Combine(to, relative);
                File.Copy(file, target, overwrite: true);
                File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserWrite);
            }
        }
        return to;
    }

    private static bool IsTarget(string relative) => relative == "target" || relative.StartsWith("target/", StringComparison.Ordinal);
}
