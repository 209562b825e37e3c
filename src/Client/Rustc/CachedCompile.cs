using System.Diagnostics;
using CacheFarm.Client.BuildScripts;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Tracing;
using CacheFarm.Client.Wrapper;
using CacheFarm.Protos.Manifests;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Rustc;

/// <summary>
/// The flow for a cacheable rustc call: compute the first-level key, look up (manifest, then entry), restore a
/// hit and replay its output; otherwise compile (streaming output live), store the outputs, and report. Any
/// cache problem ends in an ordinary compile: the cache can slow a build down, never fail it.
/// </summary>
public sealed class CachedCompile(WrapperInvocation invocation, DaemonSession session)
{
    private readonly WrapperSettings _settings = invocation.Settings;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var record = new CompileRecord { CrateName = invocation.Args.CrateName ?? "", ForcedRecache = _settings.Recache };
        var (call, firstLevelKey, problem) = await PrepareAsync(cancellationToken).ConfigureAwait(false);
        var manifest = new InputManifest([]);
        var detail = "";
        // One read of the crate's remembered input digests serves the lookup and, on a miss, the store.
        InputDigestMemo? inputMemo = null;
        InputDigestMemo InputMemo(RustcCall c, string key) => inputMemo ??= InputDigestMemo.Load(c.MemoDirectory, key);
        if (call is not null && firstLevelKey is not null && !_settings.Recache)
        {
            var lookupClock = Stopwatch.StartNew();
            var lookup = await EntryLookup.RunAsync(session, _settings, call, firstLevelKey, InputMemo(call, firstLevelKey), invocation.ScratchDirectory, cancellationToken).ConfigureAwait(false);
            manifest = lookup?.Manifest ?? manifest;
            detail = lookup?.UsedDepInfoPass == true ? "dep-info pass" : "";
            if (lookup?.Hit is { } entry)
            {
                var (restored, bytes) = await session.TryCallAsync(
                    (c, ct) => EntryRestorer.RestoreAsync(c, entry, call.OutputDirectory, call.Roots, call.Digests, ct), _settings.TransferTimeout, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
                if (restored)
                {
                    RecordedOutcome.Hit(record, entry, bytes, lookupClock.Elapsed, total.Elapsed);
                    // The outputs are in place: report while the output is replayed.
                    InstallBuildScriptLauncher(call, entry.ExitCode);
                    var report = CompileReporter.ReportAsync(session, _settings, record, lookup.EntryKey ?? "", invocation.Unit, invocation.Report, cancellationToken);
                    OutputReplay.Write(entry, call.Roots, call.JsonDiagnostics);
                    await report.ConfigureAwait(false);
                    return entry.ExitCode;
                }
            }
            record.CacheReadUs = CompileReporter.Microseconds(lookupClock.Elapsed);
        }

        var (compileArgs, extraDepInfo) = CompileArguments(call);
        var readOnly = ReadOnlyBuild.For(Path.Combine(session.Endpoint.DataDirectory, "memo"), session.Endpoint, session.Credentials, invocation.Env);
        // A compile that will be stored runs traced (proc-macros read files and variables rustc does not report);
        // one that will not, in a read-only build for instance, skips the tracer's cost.
        var stores = call is not null && firstLevelKey is not null && session.IsUsable && !readOnly.IsActive;
        using var tracer = stores ? ProcessTracer.TryCreate(invocation.ScratchDirectory) : null;
        var compileStart = FileStamp.NowNs();
        // Hashing the outputs needs OpenSSL, whose load costs about as much as the rest of the store: load it while rustc runs.
        var result = RustcRunner.RunCaptured(invocation.RustcPath, compileArgs, RunEnvironment(tracer), tracer is not null ? Sha256Accumulator.PreparePlatform : null);
        record.CompileUs = CompileReporter.Microseconds(result.Duration);
        record.CompileFailed = result.ExitCode != 0;
        var notStorable = StorableFailure.WhyNotStored(result);
        record.ReadOnly = notStorable is null && call is not null && firstLevelKey is not null && readOnly.IsActive;
        if (notStorable is not null)
        {
            detail = "not stored: " + notStorable;
        }
        else if (stores && tracer is null)
        {
            detail = $"not stored: untraced ({ProcessTracer.LibraryName} is missing beside cachefarm)";
        }
        else if (stores && tracer is not null && call is not null && firstLevelKey is not null)
        {
            // The write time includes hashing and scanning the outputs: both are the store's cost.
            var writeClock = Stopwatch.StartNew();
            var depInfo = extraDepInfo ?? Path.Combine(call.OutputDirectory, call.OutputStem + ".d");
            var (request, notStored) = StoreRequestBuilder.Build(call, firstLevelKey, InputMemo(call, firstLevelKey), manifest, result, compileStart, depInfo, tracer.Read(), session.Endpoint.DataDirectory);
            if (request is not null)
            {
                await RecordedStore.StoreAsync(session, _settings, request, readOnly, record, mayStartDaemon: false, cancellationToken).ConfigureAwait(false);
                record.CacheWriteUs = CompileReporter.Microseconds(writeClock.Elapsed);
                detail = request.EntryKey;
            }
            else
            {
                detail = "not stored: " + notStored;
            }
        }
        if (extraDepInfo is not null)
        {
            File.Delete(extraDepInfo);
        }
        InstallBuildScriptLauncher(call, result.ExitCode);
        var failure = problem ?? (record.CacheWriteFailed ? null : session.Failure);
        record.Outcome = failure is null ? CompileOutcome.Miss : CompileOutcome.CacheError;
        record.Reason = failure ?? "";
        record.CacheTimedOut = session.TimedOut;
        record.TotalUs = CompileReporter.Microseconds(total.Elapsed);
        await CompileReporter.ReportAsync(session, _settings, record, detail, invocation.Unit, invocation.Report, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    // The linker shim's variables, plus the tracer's (keeping a preload the build already has).
    private IReadOnlyDictionary<string, string>? RunEnvironment(ProcessTracer? tracer)
    {
        var link = invocation.Report?.Link.RunEnvironment;
        if (tracer is null)
        {
            return link;
        }
        var environment = new Dictionary<string, string>(link ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (invocation.Env("LD_PRELOAD") is { Length: > 0 } preload)
        {
            environment["LD_PRELOAD"] = preload;
        }
        return tracer.TracedEnvironment(environment);
    }

    // After the outputs are stored (a local daemon holds them open), so the cache keeps the real binary.
    private void InstallBuildScriptLauncher(RustcCall? call, int exitCode)
    {
        if (exitCode == 0 && call is not null)
        {
            BuildScriptLauncher.InstallAfterCompile(call.Args, call.OutputDirectory, invocation.Env);
        }
    }

    // Key computation reads local files and may run rustc -vV once; a failure there is a cache problem, not a build failure.
    private async Task<(RustcCall? Call, string? Key, string? Problem)> PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            var memoDirectory = Path.Combine(session.Endpoint.DataDirectory, "memo");
            var toolchain = await invocation.Toolchain.ResolveAsync(cancellationToken).ConfigureAwait(false);
            var call = new RustcCall
            {
                RustcPath = toolchain.RustcPath,
                Args = invocation.Args,
                Roots = CheckoutRoots.Detect(invocation.Args, invocation.WorkingDirectory, invocation.Env),
                Toolchain = toolchain,
                Environment = invocation.Environment,
                MemoDirectory = memoDirectory,
                Digests = new FileDigestMemo(memoDirectory, invocation.Stamps),
                RemapPaths = _settings.RemapPaths,
            };
            return (call, await FirstLevelKey.ComputeAsync(call, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ToolchainProbeException or System.ComponentModel.Win32Exception)
        {
            return (null, null, "cache key: " + e.Message);
        }
    }

    // Remapping is added first so a user's own --remap-path-prefix (applied last) still wins.
    private (List<string> Args, string? ExtraDepInfo) CompileArguments(RustcCall? call)
    {
        // The link shim's -C linker is never part of the key: it changes no output.
        var args = new List<string>();
        if (call is null)
        {
            args.AddRange(invocation.OriginalArgs);
            args.AddRange(invocation.Report?.Link.RunArgs ?? []);
            return (args, null);
        }
        if (call.RemapPaths)
        {
            args.AddRange(RemapArguments.For(call.Roots));
        }
        args.AddRange(invocation.OriginalArgs);
        args.AddRange(invocation.Report?.Link.RunArgs ?? []);
        string? extraDepInfo = null;
        if (!call.Args.EmitsKind("dep-info"))
        {
            Directory.CreateDirectory(invocation.ScratchDirectory);
            extraDepInfo = Path.Combine(invocation.ScratchDirectory, $"compile-{Environment.ProcessId}-{Random.Shared.Next():x}.d");
            args.Add("--emit=dep-info=" + extraDepInfo);
        }
        return (args, extraDepInfo);
    }
}
