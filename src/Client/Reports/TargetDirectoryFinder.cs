namespace CacheFarm.Client.Reports;

/// <summary>
/// Finds cargo's target directory from rustc's --out-dir paths (<c>target/debug/deps</c>, <c>target/debug/build/x-1234</c>):
/// the nearest ancestor holding the CACHEDIR.TAG cargo writes there, else the directory above the profile.
/// </summary>
public static class TargetDirectoryFinder
{
    private const int MaxLevels = 6;

    public static string? Find(IEnumerable<string> outDirs)
    {
        return outDirs.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Select(FromOutDir).OfType<string>()
            .GroupBy(d => d, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
    }

    private static string? FromOutDir(string outDir)
    {
        var dir = outDir.TrimEnd('/');
        for (var level = 0; level < MaxLevels && !string.IsNullOrEmpty(dir); level++)
        {
            if (File.Exists(Path.Combine(dir, "CACHEDIR.TAG")))
            {
                return dir;
            }
            dir = Path.GetDirectoryName(dir) ?? "";
        }
        // Without the tag (an old cargo, a removed directory): <target>/<profile>/deps.
        return Path.GetFileName(outDir.TrimEnd('/')) == "deps" ? Path.GetDirectoryName(Path.GetDirectoryName(outDir.TrimEnd('/'))) : null;
    }
}
