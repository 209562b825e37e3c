using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The files a link argument names, found as the linker would find them: response files (<c>@file</c>), linker
/// scripts (<c>-T</c>, <c>--script</c>, also through <c>-L</c> directories, as cortex-m-rt's <c>memory.x</c> in
/// OUT_DIR), version scripts and dynamic lists, libraries named with <c>-l</c> or <c>-l:file</c> (in the
/// <c>-L</c> and system directories, so a static library outside the checkout counts too), and plain paths.
/// A name that resolves to nothing is returned as is, so its later appearance changes the key.
/// </summary>
public static class LinkArgumentFiles
{
    private static readonly string[] PathOptions = ["--script", "--version-script", "--dynamic-list", "-T"];

    public static List<string> Find(string setting, RustcArgs args, string workingDirectory, string hostTriple)
    {
        var words = Words(setting);
        var searchDirs = args.SearchPaths.Where(p => p.CanHoldNativeLibraries).Select(p => CheckoutRoots.Absolute(p.Path, workingDirectory))
            .Concat(words.Where(w => w.StartsWith("-L", StringComparison.Ordinal) && w.Length > 2).Select(w => CheckoutRoots.Absolute(w[2..], workingDirectory)))
            .ToList();
        var libraryDirs = searchDirs.Concat(NativeLibraryFiles.SystemDirectories(args.Target ?? hostTriple)).ToList();
        var files = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (PathOptions.Contains(word) && i + 1 < words.Count)
            {
                files.Add(Script(words[++i], workingDirectory, searchDirs));
            }
            else if (PathOptions.FirstOrDefault(o => word.StartsWith(o + "=", StringComparison.Ordinal)) is { } option)
            {
                files.Add(Script(word[(option.Length + 1)..], workingDirectory, searchDirs));
            }
            else if (word.StartsWith("-T", StringComparison.Ordinal) && word.Length > 2)
            {
                files.Add(Script(word[2..], workingDirectory, searchDirs));
            }
            else if (word.StartsWith('@') && word.Length > 1)
            {
                files.Add(CheckoutRoots.Absolute(word[1..], workingDirectory));
            }
            else if (word.StartsWith("-l:", StringComparison.Ordinal) && word.Length > 3)
            {
                files.Add(InDirectories(libraryDirs, [word[3..]]) ?? word);
            }
            else if (word.StartsWith("-l", StringComparison.Ordinal) && word.Length > 2)
            {
                files.Add(InDirectories(libraryDirs, [$"lib{word[2..]}.so", $"lib{word[2..]}.a"]) ?? word);
            }
            else if (word.Contains('/') && !word.StartsWith('-') && File.Exists(CheckoutRoots.Absolute(word, workingDirectory)))
            {
                files.Add(CheckoutRoots.Absolute(word, workingDirectory));
            }
        }
        return files;
    }

    // The arguments as the linker sees them: -Wl,a,b passes a and b through the C driver.
    private static List<string> Words(string setting)
    {
        var words = new List<string>();
        foreach (var word in setting.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("-Wl,", StringComparison.Ordinal))
            {
                words.AddRange(word[4..].Split(',', StringSplitOptions.RemoveEmptyEntries));
            }
            else
            {
                words.Add(word);
            }
        }
        return words;
    }

    // GNU ld looks for a script in the working directory, then along the -L paths.
    private static string Script(string name, string workingDirectory, List<string> searchDirs)
    {
        var direct = CheckoutRoots.Absolute(name, workingDirectory);
        return File.Exists(direct) || name.Contains('/') ? direct : InDirectories(searchDirs, [name]) ?? direct;
    }

    private static string? InDirectories(List<string> dirs, string[] names) =>
        dirs.SelectMany(dir => names.Select(n => Path.Combine(dir, n))).FirstOrDefault(File.Exists);
}
