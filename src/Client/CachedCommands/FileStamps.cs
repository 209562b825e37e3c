namespace CacheFarm.Client.CachedCommands;

/// <summary>
/// The stamps one wrapper call has read, so a file that the key, the lookup and the build report all look at is
/// statted once.
/// </summary>
/// <remarks>
/// For looks before the tool runs only (<see cref="FileDigestMemo.ToolRan"/> starts a fresh one): a check that must
/// see a change made while a file was hashed reads <see cref="FileStamp"/> itself. A missing file is looked for again
/// each time: the tool may create it.
/// </remarks>
public sealed class FileStamps
{
    private readonly Dictionary<string, FileStamp> _read = new(StringComparer.Ordinal);

    /// <inheritdoc cref="FileStamp.TryRead"/>
    public bool TryRead(string path, out FileStamp stamp)
    {
        if (_read.TryGetValue(path, out stamp))
        {
            return true;
        }
        if (!FileStamp.TryRead(path, out stamp))
        {
            return false;
        }
        _read[path] = stamp;
        return true;
    }
}
