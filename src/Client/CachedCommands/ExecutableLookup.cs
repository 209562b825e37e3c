using CacheFarm.Client.Wrapper;

namespace CacheFarm.Client.CachedCommands;

/// <summary>Finds a program the way a shell does: a name with a slash is a path, anything else is searched on PATH.</summary>
public static class ExecutableLookup
{
    public static string? Find(string name, string? pathVariable, string workingDirectory)
    {
        if (name.Contains('/'))
        {
            var full = Path.GetFullPath(name, workingDirectory);
            return File.Exists(full) ? full : null;
        }
        foreach (var dir in (pathVariable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(Path.GetFullPath(dir, workingDirectory), name);
            if (FileStamp.TryRead(candidate, out var stamp) && stamp.IsRegularFile && stamp.IsExecutable)
            {
                return candidate;
            }
        }
        return null;
    }
}
