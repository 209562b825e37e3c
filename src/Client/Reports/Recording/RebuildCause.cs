using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Reports.Recording;

/// <summary>
/// Why cargo runs a crate's compile again, told the way cargo decides it: from the previous compile's dep-info
/// (read before this call replaced it) — an input newer than it, else an extern crate newer than it;
/// no dep-info means the crate is new to this target directory (clean build, new flags or new version).
/// Worked out when the call is reported, with the stamps the lookup already read.
/// </summary>
public static class RebuildCause
{
    public const string New = "new";
    public const string UnchangedInputs = "unchanged inputs (cargo fingerprint)";
    public const string ChangedPrefix = "changed: ";
    public const string DependencyPrefix = "dependency changed: ";

    private const int NamesShown = 3;

    /// <summary>The cause for a call with one input and an output directory; <paramref name="previous"/> is null when no dep-info was there.</summary>
    public static string Explain(RustcArgs args, PreviousDepInfo? previous, string workingDirectory, FileStamps stamps)
    {
        if (previous is null)
        {
            return New;
        }
        bool NewerThanPrevious(string path) => stamps.TryRead(CheckoutRoots.Absolute(path, workingDirectory), out var stamp) && stamp.MtimeNs > previous.Stamp.MtimeNs;
        var changed = DepInfoFile.Parse(System.Text.Encoding.UTF8.GetString(previous.Content)).Files.Where(NewerThanPrevious).ToList();
        if (changed.Count > 0)
        {
            return ChangedPrefix + Names(changed.Select(f => Shown(f, workingDirectory)).ToList());
        }
        var dependencies = args.Externs
            .Where(e => e.Path is not null && NewerThanPrevious(e.Path))
            .Select(e => e.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return dependencies.Count > 0 ? DependencyPrefix + Names(dependencies) : UnchangedInputs;
    }

    private static string Shown(string path, string workingDirectory)
    {
        var full = CheckoutRoots.Absolute(path, workingDirectory);
        var relative = Path.GetRelativePath(workingDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? $" and {names.Count - NamesShown} more" : "");
}
