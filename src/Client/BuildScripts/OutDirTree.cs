using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// The files and directories a build script left in OUT_DIR, read for storing: file modes kept, small texts
/// that name a checkout root stored with placeholders, anything else that embeds one marking the entry as
/// path-dependent. A symlink or special file makes the run not cacheable (<see cref="Problem"/>).
/// </summary>
public sealed record OutDirTree(IReadOnlyList<ProducedOutput> Files, IReadOnlyList<string> Directories, string? Problem)
{
    public bool EmbedsRoot => Files.Any(f => f.EmbedsRoot);

    public static OutDirTree Read(string outDir, CheckoutRoots roots)
    {
        var files = new List<ProducedOutput>();
        var directories = new List<string>();
        if (!Directory.Exists(outDir))
        {
            return new OutDirTree(files, directories, null);
        }
        foreach (var entry in new DirectoryInfo(outDir).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(outDir, entry.FullName);
            if (entry.LinkTarget is not null)
            {
                return new OutDirTree([], [], "a symlink in OUT_DIR");
            }
            if (entry is DirectoryInfo)
            {
                directories.Add(relative);
            }
            else if (FileStamp.TryRead(entry.FullName, out var stamp) && stamp.IsRegularFile)
            {
                files.Add(ProducedOutput.Read(entry.FullName, relative, roots, scanForRoots: true, normalizeText: true));
            }
            else
            {
                return new OutDirTree([], [], "a special file in OUT_DIR");
            }
        }
        directories.Sort(StringComparer.Ordinal);
        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new OutDirTree(files, directories, null);
    }

    /// <summary>True when OUT_DIR is missing or empty: a run into leftovers of an earlier one is not what a clean build does.</summary>
    public static bool IsEmpty(string outDir) => !Directory.Exists(outDir) || !Directory.EnumerateFileSystemEntries(outDir).Any();
}
