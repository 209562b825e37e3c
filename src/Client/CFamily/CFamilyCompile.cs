using System.Diagnostics;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Processes;
using CacheFarm.Client.Tracing;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// A cached C or C++ compile. The first-level key (compiler, arguments, roots) names a manifest of traced
/// candidates; one whose source, headers, programs and variables all match gives the entry, whose object,
/// depfile and other outputs are written where this command line puts them, and whose diagnostics are replayed.
/// Otherwise the compiler runs under the tracer, which finds every file it read (direct mode without trusting a
/// depfile), and a clean successful compile is stored. Anything uncertain compiles uncached.
/// </summary>
public sealed class CFamilyCompile(CFamilyCall call, WrapperSettings settings, DaemonSession session)
{
    /// <summary>Bump when the key or the stored layout changes meaning.</summary>
    public const string FormatVersion = "cachefarm-cc/1";

    public const string Language = "C/C++";

    // The compiler decides on colour by whether stderr is a terminal (never, through the wrapper's pipe), not by TERM.
    private static readonly string[] UnkeyedHere = ["TERM"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var record = new CompileRecord { CrateName = Path.GetFileName(call.Parsed.Source), Language = Language, ForcedRecache = settings.Recache };
        var dataDirectory = session.Endpoint.DataDirectory;
        var memoDirectory = Path.Combine(dataDirectory, "memo");
        var digests = new FileDigestMemo(memoDirectory, new FileStamps());
        var inputs = new TracedInputs(call.Roots, digests, [dataDirectory], []);
        var remap = settings.RemapPaths && CompilerPathRemap.Applies(call.Roots) ? CompilerPathRemap.Flags(call.Roots) : [];
        string firstLevelKey;
        CompilerIdentity identity;
        try
        {
            identity = await CompilerIdentity.ResolveAsync(call.Compiler, memoDirectory, cancellationToken).ConfigureAwait(false);
            firstLevelKey = CFamilyKey.FirstLevel(identity, call.Compiler, call.Args, remap, call.Roots);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return await CFamilyCommand.PassThroughAsync(call.Compiler, call.Args, session, settings, CompileClassification.NotCacheable("cache key: " + e.Message), call.Parsed.Source, call.Env, cancellationToken).ConfigureAwait(false);
        }

        // Inside a build script's traced run, whose entry is keyed by what its whole process tree read.
        var outerTrace = NestedTrace.Around(call.Env);
        var manifest = new InputManifest([]);
        string? missCause = null;
        var lookupClock = Stopwatch.StartNew();

        async Task<bool> TryRestoreAsync(Entry hit, string note)
        {
            var (restored, bytes) = await session.TryCallAsync(
                (c, ct) => EntryRestorer.RestoreAsync(c, hit, call.Outputs.Target, call.Roots, digests, ct), settings.TransferTimeout, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
            if (restored)
            {
                RecordedOutcome.Hit(record, hit, bytes, lookupClock.Elapsed, total.Elapsed);
                OutputReplay.Write(hit, call.Roots, jsonEscape: false);
                await ReportAsync(record, note, cancellationToken).ConfigureAwait(false);
            }
            return restored;
        }

        if (!settings.Recache)
        {
            var lookup = await TracedEntryLookup.RunAsync(session, settings, firstLevelKey, inputs, call.Roots, Variable, needsCandidate: outerTrace is not null, cancellationToken).ConfigureAwait(false);
            var (found, hit, note) = lookup;
            manifest = found;
            missCause = hit is null ? note : null;
            // The trace around is told before the outputs are written: if telling fails, the compile runs under that
            // tracer instead, which then sees everything itself.
            if (hit is not null && (outerTrace is null || (lookup.Candidate is { } candidate
                && NestedTrace.TryReportHit(outerTrace, candidate, call.Roots, hit.Outputs.Select(o => call.Outputs.Target(o.Path)).OfType<string>())))
                && await TryRestoreAsync(hit, note ?? "").ConfigureAwait(false))
            {
                return hit.ExitCode;
            }
        }

        // Inputs changed from here on may have reached the outputs: the preprocessor run is part of what a store describes.
        var runStart = FileStamp.NowNs();
        var tempDirectory = Path.Combine(dataDirectory, "tmp");
        // Preprocessor mode stays out of a build script's run: a hit there could not tell the trace around which headers it used.
        var preprocessed = outerTrace is null ? PreprocessedSource.TryRun(call, remap, firstLevelKey, tempDirectory) : null;
        if (preprocessed is not null)
        {
            digests.ToolRan();
        }
        var preprocessedManifest = new InputManifest([]);
        if (preprocessed is not null && !settings.Recache)
        {
            var (found, hit, note) = await TracedEntryLookup.RunAsync(session, settings, preprocessed.Key, inputs, call.Roots, Variable, needsCandidate: false, cancellationToken).ConfigureAwait(false);
            preprocessedManifest = found;
            if (hit is not null && await TryRestoreAsync(hit, "preprocessed " + note).ConfigureAwait(false))
            {
                return hit.ExitCode;
            }
        }
        if (!settings.Recache)
        {
            // Lookups took this long, the preprocessor run of preprocessor mode included.
            record.CacheReadUs = CompileReporter.Microseconds(lookupClock.Elapsed);
        }

        using var tracer = ProcessTracer.TryCreate(tempDirectory);
        if (tracer is null)
        {
            return await CFamilyCommand.PassThroughAsync(call.Compiler, call.Args, session, settings, CompileClassification.NotCacheable("tracer library missing"), call.Parsed.Source, call.Env, cancellationToken).ConfigureAwait(false);
        }
        var clock = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = ChildProcess.RunTeed(call.Compiler, [.. call.Args, .. remap], tracer.TracedEnvironment(call.Environment), whileRunning: Sha256Accumulator.PreparePlatform);
        digests.ToolRan();
        if (outerTrace is not null)
        {
            NestedTrace.Forward(tracer.LogPath, outerTrace);
        }
        if (exitCode != 0 && remap.Count > 0 && System.Text.Encoding.UTF8.GetString(stderr).Contains("prefix-map", StringComparison.Ordinal))
        {
            // A compiler too old for -ffile-prefix-map: the cache must not be what fails the build.
            return await CFamilyCommand.PassThroughAsync(call.Compiler, call.Args, session, settings, CompileClassification.NotCacheable("compiler lacks -ffile-prefix-map"), call.Parsed.Source, call.Env, cancellationToken).ConfigureAwait(false);
        }
        record.CompileUs = CompileReporter.Microseconds(clock.Elapsed);
        record.CompileFailed = exitCode != 0;
        var result = new CompileResult(exitCode, stdout, stderr, clock.Elapsed);
        var (request, notStored) = exitCode == 0
            ? BuildRequest(firstLevelKey, manifest, tracer.Read(), inputs, result, runStart, memoDirectory, identity)
            : (null, "");
        var detail = "not stored: compile failed";
        record.Outcome = CompileOutcome.Miss;
        if (request is null && exitCode == 0)
        {
            record.Outcome = CompileOutcome.NotCacheable;
            record.Reason = notStored;
            detail = "not stored: " + notStored;
        }
        else if (request is not null)
        {
            var readOnly = ReadOnlyBuild.For(memoDirectory, session.Endpoint, session.Credentials, call.Env);
            // A compile that printed anything is not stored for preprocessor mode: what it printed may quote the source's layout.
            StoreRequest[] requests = preprocessed is not null && result.Stdout.Length == 0 && result.Stderr.Length == 0
                ? [request, preprocessed.Request(request, preprocessedManifest, call.Roots)]
                : [request];
            await RecordedStore.StoreAsync(session, settings, requests, readOnly, record, mayStartDaemon: true, cancellationToken).ConfigureAwait(false);
            RecordedOutcome.StoredMiss(record, session);
            detail = missCause is null ? request.EntryKey : request.EntryKey + " " + missCause;
        }
        record.CacheTimedOut = session.TimedOut;
        record.TotalUs = CompileReporter.Microseconds(total.Elapsed);
        await ReportAsync(record, detail, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    // A candidate's variable as this compile sees it; the date stands in for __DATE__.
    private string? Variable(string name) =>
        name == TimeMacros.DateVariable ? TimeMacros.Today() : TracedVariables.Value(call.Environment, name, call.Roots);

    // What a traced, successful compile stores, or why it is not stored.
    private (StoreRequest? Request, string Reason) BuildRequest(
        string firstLevelKey, InputManifest manifest, TraceLog log, TracedInputs inputs, CompileResult result, long runStartNs, string memoDirectory, CompilerIdentity identity)
    {
        var temp = Path.GetFullPath(call.Env("TMPDIR") is { Length: > 0 } t ? t : Path.GetTempPath()).TrimEnd('/');
        bool MayWrite(string path) => call.Outputs.StoredName(path) is not null || TracedInputs.IsUnder(path, temp) || TracedInputs.IsUnder(path, "/dev");
        if (TracedRunChecks.WhyNotStorable(log, inputs, MayWrite, runStartNs) is { } reason)
        {
            return (null, reason);
        }
        var fixedClock = call.Env("SOURCE_DATE_EPOCH") is { Length: > 0 } && identity.HonorsSourceDateEpoch;
        var (clockUser, macro, usesDate) = TimeMacros.Scan(log.Read.Where(p => !log.Written.Contains(p) && !inputs.IsIgnored(p)));
        if (clockUser is not null && (macro == "__TIMESTAMP__" || !fixedClock))
        {
            return (null, macro + " in " + call.Roots.Normalize(clockUser).Replace('\u0001', '$'));
        }
        var outputs = log.Written.Where(File.Exists)
            .Select(path => (Path: path, Name: call.Outputs.StoredName(path)))
            .Where(o => o.Name is not null)
            .Select(o => ProducedOutput.Read(o.Path, o.Name!, call.Roots, scanForRoots: true, normalizeText: true))
            .OrderBy(o => o.RelativePath, StringComparer.Ordinal)
            .ToList();
        if (!File.Exists(call.Outputs.ObjectPath))
        {
            return (null, "no object written");
        }
        var variables = log.Variables
            .Where(name => !TracedVariables.IsUnkeyed(name) && Array.IndexOf(UnkeyedHere, name) < 0)
            .Select(name => new KeyValuePair<string, string?>(name, Variable(name)));
        if (usesDate && !fixedClock)
        {
            variables = variables.Append(new KeyValuePair<string, string?>(TimeMacros.DateVariable, TimeMacros.Today()));
        }
        var candidate = inputs.Candidate(log, variables, pathDependent: outputs.Any(o => o.EmbedsRoot));
        return (StoreRequest.ForRun(firstLevelKey, candidate, call.Roots, outputs, result, FormatVersion, manifest, memoDirectory), "");
    }

    private Task ReportAsync(CompileRecord record, string detail, CancellationToken cancellationToken) =>
        CompileReporter.ReportAsync(session, settings, record, detail, CFamilyCommand.Unit(call.Parsed.Source, call.Roots), null, cancellationToken);
}
