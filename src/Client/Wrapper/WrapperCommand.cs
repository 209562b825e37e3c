using System.Collections;
using System.Diagnostics;
using CacheFarm.Client.BuildScripts;
using CacheFarm.Client.CFamily;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Linker;
using CacheFarm.Client.Reports.Recording;
using CacheFarm.Client.Rustc;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.Wrapper;

/// <summary>
/// <c>cachefarm /path/to/rustc args…</c> (cargo's RUSTC_WRAPPER form) and <c>cachefarm rustc args…</c>:
/// classifies the call and either runs the cached compile flow or hands it straight to rustc. A C or C++
/// compiler in the same place goes to <see cref="CFamilyCommand"/>.
/// </summary>
public static class WrapperCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var environment = ReadEnvironment();
        string? Env(string name) => environment.TryGetValue(name, out var value) ? value : null;
        var cwd = Environment.CurrentDirectory;
        // A C or C++ compiler is looked up past any link to cachefarm itself, which would otherwise call itself forever.
        var compiler = CompilerNames.Recognizes(args[0])
            ? CompilerMasquerade.FindReal(args[0], Env("PATH"), cwd)
            : ExecutableLookup.Find(args[0], Env("PATH"), cwd);
        if (compiler is null)
        {
            await Console.Error.WriteLineAsync($"cachefarm: compiler '{args[0]}' not found").ConfigureAwait(false);
            return 2;
        }
        var originalArgs = args[1..];
        var settings = WrapperSettings.FromEnvironment(Env);
        if (CompilerNames.Recognizes(compiler))
        {
            return await CFamilyCommand.RunAsync(compiler, originalArgs, environment, cancellationToken).ConfigureAwait(false);
        }
        if (!IsRustc(compiler))
        {
            return await PassThroughAsync(compiler, originalArgs, null, settings,
                CompileClassification.NotCacheable("unsupported compiler"), "", null, cancellationToken).ConfigureAwait(false);
        }
        RustcArgs parsed;
        try
        {
            parsed = RustcArgsParser.Parse(ArgFileExpander.Expand(originalArgs, cwd));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable @argfile: rustc will report it better than we can.
            return await PassThroughAsync(compiler, originalArgs, null, settings,
                CompileClassification.NotCacheable("argument parse"), "", null, cancellationToken).ConfigureAwait(false);
        }
        var classification = CompileClassifier.Classify(parsed, settings.CacheIncremental);
        var dataDirectory = DaemonEndpoint.DefaultDataDirectory(Env);
        var toolchain = new ToolchainLookup(compiler, Path.Combine(dataDirectory, "memo"));
        var link = await LinkerSetup.PlanAsync(parsed, Env, cwd, toolchain, dataDirectory, cancellationToken).ConfigureAwait(false);
        if (link.KeyArgs.Count > 0)
        {
            // The linker choice enters as rustc arguments before the key is computed, so each choice has its own entries.
            originalArgs = [.. originalArgs, .. link.KeyArgs];
            RustcArgsParser.Append(parsed, link.KeyArgs);
        }
        var stamps = new FileStamps();
        var report = ReportContext.Create(parsed, Env, cwd, link, started, stamps);
        DaemonEndpoint endpoint;
        try
        {
            endpoint = DaemonEndpoint.FromEnvironment(Env);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("cachefarm: " + e.Message + "; compiling without the cache").ConfigureAwait(false);
            return await PassThroughAsync(compiler, originalArgs, null, settings, classification, parsed.CrateName ?? "", report, cancellationToken).ConfigureAwait(false);
        }
        using var session = new DaemonSession(endpoint, settings.Namespace, Env)
        {
            WorkingSet = WorkingSetName.For(parsed.OutDir is { } outDir ? CheckoutRoots.Absolute(outDir, cwd) : null, compiler, Env),
        };
        if (settings.NoCache)
        {
            // Still timed and reported (to a daemon already running): cachefarm slo's uncached build reads its link time so.
            return await PassThroughAsync(compiler, originalArgs, session, settings,
                CompileClassification.NotCacheable("CACHEFARM_NO_CACHE"), parsed.CrateName ?? "", report, cancellationToken).ConfigureAwait(false);
        }
        if (classification.Kind != CompileKind.Cacheable)
        {
            var exitCode = await PassThroughAsync(compiler, originalArgs, session, settings, classification, parsed.CrateName ?? "", report, cancellationToken).ConfigureAwait(false);
            // A build script compiled where its compile cannot be cached (incremental, as a workspace member's is in a
            // dev build) still has runs that can: the run's key holds the binary's digest.
            if (exitCode == 0)
            {
                BuildScriptLauncher.InstallAfterCompile(parsed, RustcCall.OutputDirectoryOf(parsed, cwd), Env);
            }
            return exitCode;
        }
        var invocation = new WrapperInvocation
        {
            RustcPath = compiler,
            Toolchain = toolchain,
            OriginalArgs = originalArgs,
            Args = parsed,
            WorkingDirectory = cwd,
            Environment = environment,
            Settings = settings,
            ScratchDirectory = Path.Combine(endpoint.DataDirectory, "tmp"),
            Report = report,
            Stamps = stamps,
        };
        return await new CachedCompile(invocation, session).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    // rustc itself, or a toolchain-prefixed rustc; drivers such as clippy-driver take other arguments.
    private static bool IsRustc(string path)
    {
        var name = Path.GetFileName(path);
        return name.Contains("rustc", StringComparison.Ordinal) && !name.Contains("rustdoc", StringComparison.Ordinal);
    }

    private static async Task<int> PassThroughAsync(
        string compiler, string[] args, DaemonSession? session, WrapperSettings settings, CompileClassification classification, string crateName, ReportContext? report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var exitCode = RustcRunner.Passthrough(compiler, [.. args, .. report?.Link.RunArgs ?? []], report?.Link.RunEnvironment);
        var record = new CompileRecord
        {
            Outcome = classification.Kind == CompileKind.NotCompilation ? CompileOutcome.NotCompilation : CompileOutcome.NotCacheable,
            Reason = classification.Reason,
            CrateName = crateName,
            CompileUs = CompileReporter.Microseconds(clock.Elapsed),
            TotalUs = CompileReporter.Microseconds(clock.Elapsed),
            CompileFailed = exitCode != 0,
        };
        await CompileReporter.ReportAsync(session, settings, record, "", $"{Environment.GetEnvironmentVariable("CARGO_PKG_NAME")}/{crateName}", report, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    public static Dictionary<string, string> ReadEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }
        return result;
    }
}
