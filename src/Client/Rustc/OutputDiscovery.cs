using System.IO.Enumeration;
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
        // The name is tested on the directory entry itself: deps/ holds the files of every crate of the
        // build, and a path string for each of them was most of what a miss allocated here.
        var named = new FileSystemEnumerable<string>(outputDirectory, (ref entry) => entry.ToFullPath())
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && (IsNamedAfter(entry.FileName, stem, "") || IsNamedAfter(entry.FileName, stem, "lib")),
        };
        foreach (var path in named)
        {
            if (FileStamp.TryRead(path, out var stamp) && stamp.IsRegularFile && stamp.WrittenSince(compileStartNs))
            {
                found.Add(path);
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static bool IsNamedAfter(ReadOnlySpan<char> name, string stem, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name[prefix.Length..].StartsWith(stem, StringComparison.Ordinal))
        {
            return false;
        }
        var end = prefix.Length + stem.Length;
        return name.Length == end || name[end] == '.';
    }
}
