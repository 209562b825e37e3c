using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Linker;

/// <summary>A file or directory with the size and mtime it had when detection ran; a different stamp means detect again.</summary>
public sealed record StampedFile(string Path, long Size, long MtimeNs)
{
    public static StampedFile? Read(string path) =>
        FileStamp.TryRead(path, out var stamp) ? new StampedFile(path, stamp.Size, stamp.MtimeNs) : null;

    public bool IsCurrent() => FileStamp.TryRead(Path, out var stamp) && stamp.Size == Size && stamp.MtimeNs == MtimeNs;
}
