using CacheFarm.Client.BuildScripts;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Doctor;

/// <summary>Why calls of the last build were not cached, grouped by reason, with how to remove each reason.</summary>
public static class CacheabilityCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        if (context.LastBuild is not { } build)
        {
            yield return new DoctorFinding("caching", DoctorSeverity.Advice, "no build recorded from this host yet", [],
                "build once with RUSTC_WRAPPER=cachefarm, then run cachefarm doctor again");
            yield break;
        }
        var pathKeyed = build.Units.Where(u => u.Record.PathKeyedOutput.Length > 0).ToList();
        if (pathKeyed.Count > 0)
        {
            yield return new DoctorFinding("caching", DoctorSeverity.Problem, $"{pathKeyed.Count} {(pathKeyed.Count == 1 ? "entry is" : "entries are")} keyed by this checkout's path: they hit only in this directory",
                [.. pathKeyed.Take(8).Select(u => $"{u.Name}: {u.Record.PathKeyedOutput} embeds the path")],
                "make the output path-free: relative paths in build scripts and C code (file!(), __FILE__, env!(\"OUT_DIR\") written into files), or set CACHEFARM_BASEDIR for C/C++");
        }
        var notCached = build.Units.Where(u => u.Record.Outcome == CompileOutcome.NotCacheable).ToList();
        if (notCached.Count == 0)
        {
            yield return new DoctorFinding("caching", DoctorSeverity.Ok, $"every call of the last build could be cached ({build.Build.Command})", []);
            yield break;
        }
        foreach (var group in notCached.GroupBy(u => (u.Record.Language, u.Record.Reason)).OrderByDescending(g => g.Count()))
        {
            var (language, reason) = group.Key;
            var units = group.Select(u => u.Name).Distinct().ToList();
            var details = new List<string> { $"{group.Count()} call(s): {string.Join(", ", units.Take(8))}{(units.Count > 8 ? ", …" : "")}" };
            var what = language == BuildScriptRun.Language ? "build scripts not cached" : language == "C/C++" ? "C/C++ compiles not cached" : "rustc calls not cached";
            yield return new DoctorFinding("caching", Severity(reason), $"{what}: {reason}", details, Fix(reason));
        }
    }

    // Workspace members in a dev build are incremental by design; the reason costs only where builds start clean (CI).
    private static DoctorSeverity Severity(string reason) => reason switch
    {
        "incremental" or "CACHEFARM_NO_CACHE" => DoctorSeverity.Advice,
        _ => DoctorSeverity.Problem,
    };

    private static string Fix(string reason) => reason switch
    {
        "incremental" => "set CARGO_INCREMENTAL=0 in CI (incremental state is per checkout and cannot be shared); keep it on for local edits",
        "CACHEFARM_NO_CACHE" => "unset CACHEFARM_NO_CACHE (or SCCACHE_NO_CACHE)",
        "OUT_DIR not empty" => "a build script reran into its previous output; clean builds (CI) cache it",
        "network access" => "the script downloads: vendor what it fetches, or list it in CACHEFARM_UNCACHED_BUILD_SCRIPTS to stop trying",
        "package listed in CACHEFARM_UNCACHED_BUILD_SCRIPTS" => "remove it from CACHEFARM_UNCACHED_BUILD_SCRIPTS when the script can be cached",
        _ when reason.StartsWith("untraceable", StringComparison.Ordinal) => "a statically linked program ran: use a dynamically linked build of it, or accept the rerun",
        _ when reason.StartsWith("writes outside its outputs", StringComparison.Ordinal) => "the script writes outside OUT_DIR: make it write only there",
        _ => "see docs/build-scripts.md and docs/c-cpp.md for what each reason means",
    };
}
