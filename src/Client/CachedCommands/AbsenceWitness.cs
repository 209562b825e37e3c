namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The directory that vouches for a path's absence, with the stamp it had before the look: the path's own
/// directory, or the nearest existing one above it that lacks the next component. Making the path changes that
/// directory's stamp, so while the stamp is the same the path is still absent.
/// </summary>
public readonly record struct AbsenceWitness(string Directory, FileStamp Stamp)
{
    /// <summary>
    /// The path below <see cref="Directory"/>, as text that <see cref="PathOf"/> turns back into exactly
    /// <paramref name="path"/>; null when it would not (a bundle must never name another path than the one looked up).
    /// </summary>
    public string? NameOf(string path)
    {
        var name = path.StartsWith(Directory, StringComparison.Ordinal) && path.Length > Directory.Length
            ? path[(Directory.EndsWith('/') ? Directory.Length : Directory.Length + 1)..]
            : null;
        return name is { Length: > 0 } && PathOf(name) == path ? name : null;
    }

    public string PathOf(string name) => Directory.EndsWith('/') ? Directory + name : Directory + "/" + name;
}
