namespace CacheFarm.Daemon.Services;

/// <summary>The rule for output paths in entries: relative, forward slashes, no '..' and no control characters.</summary>
internal static class OutputPath
{
    public static bool IsSafeRelative(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 4096 || path[0] == '/' || path.Contains('\\') || path.Contains(':'))
        {
            return false;
        }
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }
        return true;
    }
}
