using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>
/// Why cargo runs a crate's compile again, told the way cargo decides it: from the previous compile's dep-info
/// (still on disk, as rustc has not run yet) — an input newer than it, else an extern crate newer than it;
/// no dep-info means the crate is new to this target directory (clean build, new flags or new version).
/// </summary>
public static class RebuildCause
{
    public const string New = "new";
    public const string UnchangedInputs = "unchanged inputs (cargo fingerprint)";
    public const string ChangedPrefix = "changed: ";
    public const string DependencyPrefix = "dependency changed: ";

    private const int NamesShown = 3;

    public static string Explain(RustcArgs args, string workingDirectory)
    {
        if (args.OutDir is null || args.Inputs.Count != 1)
        {
            return "";
        }
        var stem = (args.CrateName ?? Path.GetFileNameWithoutExtension(args.Inputs[0]).Replace('-', '_')) + args.ExtraFilename;
        var depInfo = Path.Combine(CheckoutRoots.Absolute(args.OutDir, workingDirectory), stem + ".d");
        if (!FileStamp.TryRead(depInfo, out var previous))
        {
            return New;
        }
        try
        {
            var inputs = DepInfoFile.Parse(File.ReadAllText(depInfo)).Files;
            var changed = inputs.Where(f => NewerThan(CheckoutRoots.Absolute(f, workingDirectory), previous.MtimeNs)).ToList();
            if (changed.Count > 0)
            {
                return ChangedPrefix + Names(changed.Select(f => Shown(f, workingDirectory)).ToList());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
        var dependencies = args.Externs
            .Where(e => e.Path is not null && NewerThan(CheckoutRoots.Absolute(e.Path, workingDirectory), previous.MtimeNs))
            .Select(e => e.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return dependencies.Count > 0 ? DependencyPrefix + Names(dependencies) : UnchangedInputs;
    }

    private static bool NewerThan(string path, long mtimeNs) => FileStamp.TryRead(path, out var stamp) && stamp.MtimeNs > mtimeNs;

    private static string Shown(string path, string workingDirectory)
    {
        var full = CheckoutRoots.Absolute(path, workingDirectory);
        var relative = Path.GetRelativePath(workingDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? $" and {names.Count - NamesShown} more" : "");
}
