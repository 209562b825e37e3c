namespace CacheFarm.Client.CFamily;

/// <summary>
/// The directory of symlinks named after C and C++ compilers that all point at cachefarm (see
/// <see cref="CompilerMasquerade"/>). Concurrent runs may set it up at once: each link is made under a
/// private name and renamed into place, so a run never sees a missing or half-made link.
/// </summary>
public static class CompilerShimDirectory
{
    /// <summary>Makes sure <c>DATA/compilers</c> holds a link per compiler name to this cachefarm; returns the directory.</summary>
    /// <exception cref="IOException">The directory or a link could not be made.</exception>
    public static string Ensure(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "compilers");
        var self = Environment.ProcessPath ?? throw new IOException("cannot tell where cachefarm is");
        Directory.CreateDirectory(directory);
        foreach (var name in CompilerNames.Plain)
        {
            var link = Path.Combine(directory, name);
            if (new FileInfo(link).LinkTarget == self)
            {
                continue;
            }
            var temp = $"{link}.{Environment.ProcessId}.tmp";
            File.Delete(temp);
            File.CreateSymbolicLink(temp, self);
            File.Move(temp, link, overwrite: true);
        }
        return directory;
    }
}
