using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The native library files that reach a crate's output: every <c>-l</c> library as found on the <c>-L</c>
/// paths (and, for linking crates, the system library directories), plus every archive in a search
/// directory inside the checkout (what build scripts produce and <c>#[link]</c> attributes bundle).
/// </summary>
public static class NativeLibraryFiles
{
    public static List<string> Find(RustcArgs args, CheckoutRoots roots, string hostTriple)
    {
        var searchDirs = args.SearchPaths.Where(p => p.CanHoldNativeLibraries)
            .Select(p => CheckoutRoots.Absolute(p.Path, roots.WorkingDirectory))
            .ToList();
        var files = new List<string>();
        var libraryDirs = args.Links ? searchDirs.Concat(SystemDirectories(args.Target ?? hostTriple)).ToList() : searchDirs;
        foreach (var library in args.NativeLibraries)
        {
            var names = library.IsStatic ? [$"lib{library.Name}.a"] : new[] { $"lib{library.Name}.so", $"lib{library.Name}.a" };
            var found = libraryDirs.SelectMany(dir => names.Select(n => Path.Combine(dir, n))).FirstOrDefault(File.Exists);
            if (found is not null)
            {
                files.Add(found);
            }
        }
        foreach (var dir in searchDirs.Where(d => roots.Find(d) is not null && Directory.Exists(d)))
        {
            files.AddRange(Directory.EnumerateFiles(dir)
                .Where(f => f.EndsWith(".a", StringComparison.Ordinal) || (args.Links && Path.GetFileName(f).Contains(".so", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal));
        }
        return [.. files.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Where the linker finds libraries when no -L path has them.</summary>
    public static IEnumerable<string> SystemDirectories(string triple)
    {
        var arch = triple.Split('-')[0];
        return ["/usr/local/lib", $"/usr/lib/{arch}-linux-gnu", $"/lib/{arch}-linux-gnu", "/usr/lib", "/lib"];
    }
}
