namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// Whether a name is absent from a directory, answered from one listing per directory, taken when the directory is
/// asked about a second time: a compile in a fresh checkout looks up thousands of headers in a handful of include
/// directories that do not have them, and a listing costs less than a stat each. The directory's stamp read before the
/// listing witnesses each absence it answers.
/// </summary>
public sealed class DirectoryNames(FileStamps stamps)
{
    private readonly Dictionary<string, (HashSet<string>? Names, FileStamp? Before)> _listed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _asked = new(StringComparer.Ordinal);

    // Every entry, dot-files included: a name left out would read as absent.
    private static readonly EnumerationOptions EveryEntry = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    /// <summary>Whether the listing of <paramref name="directory"/> lacks <paramref name="name"/>, with the stamp that witnesses it; null when no listing answers.</summary>
    public (bool Lacks, FileStamp? Witness)? Lookup(string directory, string name)
    {
        // "dir/" names the directory itself, and "." or ".." no entry a listing shows: a stat answers those.
        if (name is "" or "." or "..")
        {
            return null;
        }
        if (!_listed.TryGetValue(directory, out var listing))
        {
            var asked = _asked[directory] = _asked.GetValueOrDefault(directory) + 1;
            if (asked < 2)
            {
                return null;
            }
            FileStamp? before = stamps.TryRead(directory, out var stamp) && stamp.IsSettled(FileStamp.NowNs()) ? stamp : null;
            listing = _listed[directory] = (List(directory), before);
        }
        return listing.Names is { } names ? (!names.Contains(name), listing.Before) : null;
    }

    private static HashSet<string>? List(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory, "*", EveryEntry).Select(e => Path.GetFileName(e)).ToHashSet(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            // No directory, no entries: a stat of any path in it fails the same way.
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
