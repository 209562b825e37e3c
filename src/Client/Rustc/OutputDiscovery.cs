using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// Finds the files a finished compile produced: files in the output directory named after the crate
/// (<c>stem</c>, <c>stem.*</c>, <c>libstem</c>, <c>libstem.*</c> with stem = crate name + extra-filename)
/// written since the compile started — rlib, rmeta, .d, executables, .so/.a, split debuginfo.
/// </summary>
public static class OutputDiscovery
{
    public static List<string> Find(string outputDirectory, string stem, long compileStartNs)
    {
        var found = new List<string>();
        if (!Directory.Exists(outputDirectory))
        {
            return found;
        }
        foreach (var path in Directory.EnumerateFiles(outputDirectory))
        {
            var name = Path.GetFileName(path);
            if ((IsNamedAfter(name, stem) || IsNamedAfter(name, "lib" + stem))
                && FileStamp.TryRead(path, out var stamp) && stamp.IsRegularFile && stamp.WrittenSince(compileStartNs))
            {
                found.Add(path);
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static bool IsNamedAfter(string name, string stem) =>
        name.StartsWith(stem, StringComparison.Ordinal) && (name.Length == stem.Length || name[stem.Length] == '.');
}
