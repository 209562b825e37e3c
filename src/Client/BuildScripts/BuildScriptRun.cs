using System.Diagnostics;
using CacheFarm.Client.CFamily;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Processes;
using CacheFarm.Client.Tracing;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.BuildScripts;

/// <summary>
/// A cached build-script run, started by the launcher in place of the script's binary: the first-level key
/// (script binary, cargo's variables, arguments) names a manifest of traced inputs; a candidate whose inputs
/// all match gives the entry, which rebuilds OUT_DIR and replays stdout and stderr. Otherwise the script runs
/// under the tracer, and a clean successful run is stored. Anything uncertain runs the script uncached.
/// </summary>
public sealed class BuildScriptRun(BuildScriptCall call, WrapperSettings settings, DaemonSession session)
{
    /// <summary>Bump when the key or the stored layout changes meaning.</summary>
    public const string FormatVersion = "cachefarm-build-script/2";

    public const string Language = "Build script";

    private readonly Func<string, string?> _env = call.Env;

    private bool RemapsCompilerPaths => settings.RemapPaths && call.CompilerShims is not null && CompilerPathRemap.Applies(call.Roots);

    /// <summary>Entry point for <c>cachefarm --cachefarm-build-script:NAME path args…</c> (the launcher's #! line).</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var binary = BuildScriptLauncher.RealBinary(args);
        if (!File.Exists(binary))
        {
            await Console.Error.WriteLineAsync($"cachefarm: the build script {binary} is missing; `cargo clean` rebuilds it").ConfigureAwait(false);
            return 101;
        }
        var scriptArgs = args[2..];
        var environment = WrapperCommand.ReadEnvironment();
        string? Env(string name) => environment.TryGetValue(name, out var value) ? value : null;
        var settings = WrapperSettings.FromEnvironment(Env);
        DaemonEndpoint? endpoint = null;
        string? reason = null;
        try
        {
            endpoint = DaemonEndpoint.FromEnvironment(Env);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("cachefarm: " + e.Message + "; running the build script without the cache").ConfigureAwait(false);
            reason = "bad CACHEFARM_ENDPOINT";
        }
        // Made for every run, cached or not: a CMake cache restored from another run names the shims, and a later
        // uncached rerun into that OUT_DIR must find them here.
        var shims = endpoint is null ? null : TryEnsureShims(endpoint.DataDirectory);
        var call = BuildScriptCall.Create(binary, scriptArgs, environment, Environment.CurrentDirectory, shims);
        reason ??= call is null ? "no OUT_DIR" : UncachedReason(call, settings);
        using var session = endpoint is null ? null : new DaemonSession(endpoint, settings.Namespace, Env)
        {
            // cargo gives a build script the rustc it resolved, the same path the wrapper is handed for rustc calls.
            WorkingSet = WorkingSetName.For(Env("OUT_DIR"), Env("RUSTC") ?? "", Env),
        };
        if (reason is not null || call is null || session is null)
        {
            return await PassThroughAsync(binary, scriptArgs, session, settings, reason ?? "", Env("CARGO_PKG_NAME") ?? "", cancellationToken).ConfigureAwait(false);
        }
        return await new BuildScriptRun(call, settings, session).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string? TryEnsureShims(string dataDirectory)
    {
        try
        {
            return CompilerShimDirectory.Ensure(dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("cachefarm: compiler shims: " + e.Message + "; C and C++ objects keep this checkout's paths");
            return null;
        }
    }

    private static string? UncachedReason(BuildScriptCall call, WrapperSettings settings)
    {
        if (settings.NoCache)
        {
            return "CACHEFARM_NO_CACHE";
        }
        if (!BuildScriptSettings.CacheBuildScripts(call.Env))
        {
            return "CACHEFARM_CACHE_BUILD_SCRIPTS=0";
        }
        if (BuildScriptSettings.NeverCached(call.Env).Contains(call.Package))
        {
            return "package listed in CACHEFARM_UNCACHED_BUILD_SCRIPTS";
        }
        // A rerun into an earlier run's OUT_DIR may build on its leftovers (cmake's build tree does): not what a clean build does.
        return OutDirTree.IsEmpty(call.OutDir) ? null : "OUT_DIR not empty";
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var record = new CompileRecord { CrateName = call.Package, Language = Language, ForcedRecache = settings.Recache };
        var memoDirectory = Path.Combine(session.Endpoint.DataDirectory, "memo");
        var scratch = Path.Combine(session.Endpoint.DataDirectory, "tmp");
        var digests = new FileDigestMemo(memoDirectory, new FileStamps());
        var temp = Path.GetFullPath(call.Env("TMPDIR") is { Length: > 0 } t ? t : Path.GetTempPath()).TrimEnd('/');
        // Temp directories are not ignored as inputs: a checkout may live there. Files the run made there are its own.
        var targetDir = call.Roots.Get(CheckoutRoots.TargetDir)?.Path;
        var inputs = new TracedInputs(call.Roots, digests, [call.OutDir, session.Endpoint.DataDirectory, call.Binary], targetDir is null ? [] : [targetDir]);
        string[] writable = [call.OutDir, temp, "/dev"];
        string firstLevelKey;
        try
        {
            firstLevelKey = BuildScriptKey.FirstLevel(call, digests, RemapsCompilerPaths);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await PassThroughAsync(call.Binary, call.Args, session, settings, "cache key: " + e.Message, call.Package, cancellationToken).ConfigureAwait(false);
        }

        var manifest = new InputManifest([]);
        string? missCause = null;
        if (!settings.Recache)
        {
            var lookupClock = Stopwatch.StartNew();
            var (found, hit, note) = await TracedEntryLookup.RunAsync(session, settings, firstLevelKey, inputs, call.Roots, TracedValue, needsCandidate: false, cancellationToken).ConfigureAwait(false);
            manifest = found;
            missCause = hit is null ? note : null;
            if (hit is not null)
            {
                Directory.CreateDirectory(call.OutDir);
                var (restored, bytes) = await session.TryCallAsync(
                    (c, ct) => EntryRestorer.RestoreAsync(c, hit, call.OutDir, call.Roots, digests, ct), settings.TransferTimeout, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
                if (restored)
                {
                    RecordedOutcome.Hit(record, hit, bytes, lookupClock.Elapsed, total.Elapsed);
                    OutputReplay.Write(hit, call.Roots, jsonEscape: false);
                    await ReportAsync(record, note ?? "", cancellationToken).ConfigureAwait(false);
                    return hit.ExitCode;
                }
                // A restore that failed part way must not leave a half-built OUT_DIR for the real run.
                ClearOutDir();
            }
            record.CacheReadUs = CompileReporter.Microseconds(lookupClock.Elapsed);
        }

        using var tracer = ProcessTracer.TryCreate(scratch);
        if (tracer is null)
        {
            return await PassThroughAsync(call.Binary, call.Args, session, settings, "tracer library missing", call.Package, cancellationToken).ConfigureAwait(false);
        }
        var runStart = FileStamp.NowNs();
        var clock = Stopwatch.StartNew();
        var environment = tracer.TracedEnvironment(call.Environment);
        if (RemapsCompilerPaths)
        {
            foreach (var (name, value) in CompilerPathRemap.Variables(call.Roots, call.Environment, call.CompilerShims!))
            {
                environment[name] = value;
            }
        }
        // Stdout (the directives) is held back until the run is known to stand; stderr goes to cargo as it comes.
        var (exitCode, stdout, stderr) = ChildProcess.RunTeed(call.Binary, call.Args, environment, forwardTo: (-1, 2), whileRunning: Sha256Accumulator.PreparePlatform);
        digests.ToolRan();
        if (exitCode != 0 && RemapsCompilerPaths)
        {
            // The prefix maps may be what failed (a compiler that lacks -ffile-prefix-map): run the script as cargo
            // would, from the empty OUT_DIR it started with, so the cache never fails a build.
            ClearOutDir();
            return await PassThroughAsync(call.Binary, call.Args, session, settings, "build script failed", call.Package, cancellationToken).ConfigureAwait(false);
        }
        using (var output = Console.OpenStandardOutput())
        {
            output.Write(stdout);
        }
        record.CompileUs = CompileReporter.Microseconds(clock.Elapsed);
        record.CompileFailed = exitCode != 0;
        var result = new CompileResult(exitCode, stdout, stderr, clock.Elapsed);
        var (request, notStored) = exitCode == 0
            ? BuildRequest(firstLevelKey, manifest, tracer.Read(), inputs, writable, result, runStart, memoDirectory)
            : (null, "build script failed");
        var detail = "";
        if (request is null)
        {
            record.Outcome = CompileOutcome.NotCacheable;
            record.Reason = notStored;
            detail = "not stored: " + notStored;
        }
        else
        {
            var readOnly = ReadOnlyBuild.For(memoDirectory, session.Endpoint, session.Credentials, _env);
            await RecordedStore.StoreAsync(session, settings, request, readOnly, record, mayStartDaemon: true, cancellationToken).ConfigureAwait(false);
            RecordedOutcome.StoredMiss(record, session);
            detail = missCause is null ? request.EntryKey : request.EntryKey + " " + missCause;
        }
        record.CacheTimedOut = session.TimedOut;
        record.TotalUs = CompileReporter.Microseconds(total.Elapsed);
        await ReportAsync(record, detail, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    private string? TracedValue(string name) => TracedVariables.Value(call.Environment, name, call.Roots);

    // What a traced, successful run stores, or why it is not stored.
    private (StoreRequest? Request, string Reason) BuildRequest(
        string firstLevelKey, InputManifest manifest, TraceLog log, TracedInputs inputs, string[] writable, CompileResult result, long runStartNs, string memoDirectory)
    {
        if (TracedRunChecks.WhyNotStorable(log, inputs, p => writable.Any(w => TracedInputs.IsUnder(p, w)), runStartNs) is { } reason)
        {
            return (null, reason);
        }
        var tree = OutDirTree.Read(call.OutDir, call.Roots);
        if (tree.Problem is { } problem)
        {
            return (null, problem);
        }
        var variables = log.Variables
            .Where(name => !BuildScriptEnvironment.IsCargoSet(name) && !TracedVariables.IsUnkeyed(name))
            .Select(name => new KeyValuePair<string, string?>(name, TracedValue(name)));
        var candidate = inputs.Candidate(log, variables, pathDependent: tree.EmbedsRoot);
        var request = StoreRequest.ForRun(firstLevelKey, candidate, call.Roots, tree.Files, result, FormatVersion, manifest, memoDirectory) with
        {
            Directories = tree.Directories,
        };
        return (request, "");
    }

    // Back to the empty OUT_DIR cargo made for the run.
    private void ClearOutDir()
    {
        try
        {
            Directory.Delete(call.OutDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
        Directory.CreateDirectory(call.OutDir);
    }

    private Task ReportAsync(CompileRecord record, string detail, CancellationToken cancellationToken) =>
        CompileReporter.ReportAsync(session, settings, record, detail, call.Package + "/build-script", null, cancellationToken);

    private static async Task<int> PassThroughAsync(
        string binary, IReadOnlyList<string> args, DaemonSession? session, WrapperSettings settings, string reason, string package, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var exitCode = ChildProcess.Run(binary, args, quiet: false);
        var record = new CompileRecord
        {
            Outcome = CompileOutcome.NotCacheable,
            Reason = reason,
            Language = Language,
            CrateName = package,
            CompileUs = CompileReporter.Microseconds(clock.Elapsed),
            TotalUs = CompileReporter.Microseconds(clock.Elapsed),
            CompileFailed = exitCode != 0,
        };
        await CompileReporter.ReportAsync(session, settings, record, "", package + "/build-script", null, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }
}
