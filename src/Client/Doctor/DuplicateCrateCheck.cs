using System.Globalization;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Reports;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Doctor;

/// <summary>
/// Crates compiled in more than one version, from <c>cargo tree --duplicates</c> (which also says who pulls each
/// version in), with the compile time the extra versions cost in the last recorded build.
/// </summary>
public static class DuplicateCrateCheck
{
    public static async Task<IEnumerable<DoctorFinding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.WorkspaceRoot is not { } root)
        {
            return [];
        }
        var tree = await CapturedProcess.RunAsync(context.Cargo, ["tree", "--duplicates", "--color", "never"], root, cancellationToken).ConfigureAwait(false);
        if (tree.ExitCode != 0)
        {
            return [new DoctorFinding("dependencies", DoctorSeverity.Advice, "cargo tree could not list duplicate crates", [tree.Stderr.Trim()])];
        }
        var duplicates = Distinct(Parse(tree.Stdout)).GroupBy(d => d.Name).Where(group => group.Count() > 1).ToList();
        if (duplicates.Count == 0)
        {
            return [new DoctorFinding("dependencies", DoctorSeverity.Ok, "every crate is compiled in one version", [])];
        }
        return duplicates.Select(group => Finding(group.Key, [.. group], context.LastBuild));
    }

    /// <summary>
    /// One entry per version: cargo tree lists a version once for each feature set it is built with (the same version
    /// for build scripts and for the target), which is one version, not a duplicate.
    /// </summary>
    public static IEnumerable<DuplicateVersion> Distinct(IEnumerable<DuplicateVersion> versions) =>
        versions.GroupBy(v => (v.Name, v.Version))
            .Select(g => new DuplicateVersion(g.Key.Name, g.Key.Version, [.. g.SelectMany(v => v.PulledInBy).Distinct()]));

    /// <summary>One duplicated crate version and the packages that depend on it directly.</summary>
    public sealed record DuplicateVersion(string Name, string Version, IReadOnlyList<string> PulledInBy);

    /// <summary>The versions in <c>cargo tree --duplicates</c> output: blocks of "name vX" followed by an inverted tree.</summary>
    public static List<DuplicateVersion> Parse(string output)
    {
        var versions = new List<DuplicateVersion>();
        string? name = null, version = null;
        var dependents = new List<string>();
        void Flush()
        {
            if (name is not null && version is not null)
            {
                versions.Add(new DuplicateVersion(name, version, [.. dependents.Distinct()]));
            }
            name = version = null;
            dependents.Clear();
        }
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (!char.IsWhiteSpace(line[0]) && line[0] is not ('├' or '└' or '│' or '['))
            {
                Flush();
                var words = line.Split(' ');
                if (words.Length >= 2 && words[1].StartsWith('v'))
                {
                    (name, version) = (words[0], words[1][1..]);
                }
            }
            else if ((line.StartsWith("├── ", StringComparison.Ordinal) || line.StartsWith("└── ", StringComparison.Ordinal)) && name is not null)
            {
                var words = line[4..].Split(' ');
                dependents.Add(words.Length >= 2 ? words[0] + " " + words[1] : words[0]);
            }
        }
        Flush();
        return versions;
    }

    private static DoctorFinding Finding(string name, List<DuplicateVersion> versions, BuildSummary? build)
    {
        var details = versions.Select(v => $"{name} {v.Version}, pulled in by {(v.PulledInBy.Count > 0 ? string.Join(", ", v.PulledInBy) : "the workspace")}").ToList();
        // Crate names in records use underscores; each version is one record.
        var costs = build?.Units.Where(u => u.Record.CrateName == name.Replace('-', '_') && u.Record.Language == "Rust")
            .Select(u => CompileCost(u.Record)).Order().ToList() ?? [];
        if (costs.Count > 1)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture,
                $"compiling it {costs.Count} times took {DurationText.Of(costs.Sum())} in the last build; one version would save about {DurationText.Of(costs.Sum() - costs[^1])}"));
        }
        return new DoctorFinding("dependencies", DoctorSeverity.Problem, $"{name} is compiled in {versions.Count} versions ({string.Join(", ", versions.Select(v => v.Version))})", details,
            "align the dependents on one version (cargo update -p, or raise the older requirement); `cargo tree -i " + name + "@VERSION` shows the path to each");
    }

    // What compiling the crate costs: the compile itself, or for a hit the compile time recorded when it was stored.
    private static long CompileCost(CompileRecord record) => record.Outcome == CompileOutcome.Hit ? record.SavedUs : record.CompileUs;
}
