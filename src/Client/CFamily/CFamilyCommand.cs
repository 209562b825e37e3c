using System.Diagnostics;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Processes;
using CacheFarm.Protos.V1;

namespace CacheFarm.Client.CFamily;

/// <summary>
/// <c>cachefarm gcc|g++|cc|c++|clang|clang++ args…</c>, <c>cachefarm /path/to/compiler args…</c> (a CMake compiler
/// launcher, <c>CC="cachefarm gcc"</c>) and cachefarm linked under a compiler's name, in a build script's run
/// too: reads the command line and either runs the cached compile or hands the call to the compiler, counting why.
/// </summary>
public static class CFamilyCommand
{
    public static async Task<int> RunAsync(string compiler, string[] args, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        string? Env(string name) => environment.TryGetValue(name, out var value) ? value : null;
        var settings = WrapperSettings.FromEnvironment(Env);
        var cwd = Environment.CurrentDirectory;
        CompilerArgs? parsed;
        CompileClassification verdict;
        List<string> expanded = [];
        try
        {
            expanded = GccResponseFile.Expand(args);
            (parsed, verdict) = CompilerArgsParser.Parse(expanded);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable response file: the compiler will report it better than we can.
            (parsed, verdict) = (null, CompileClassification.NotCacheable("argument parse"));
        }
        if (settings.NoCache)
        {
            // Bypassing the cache means not contacting the daemon at all, not even for the stats.
            return await PassThroughAsync(compiler, args, null, settings, verdict, parsed?.Source ?? "", Env, cancellationToken).ConfigureAwait(false);
        }
        DaemonEndpoint? endpoint = null;
        try
        {
            endpoint = DaemonEndpoint.FromEnvironment(Env);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("cachefarm: " + e.Message + "; compiling without the cache").ConfigureAwait(false);
        }
        using var session = endpoint is null ? null : new DaemonSession(endpoint, settings.Namespace, Env) { WorkingSet = WorkingSetName.For(null, compiler, Env) };
        if (parsed is null || session is null || verdict.Kind != CompileKind.Cacheable)
        {
            return await PassThroughAsync(compiler, args, session, settings, verdict, parsed?.Source ?? "", Env, cancellationToken).ConfigureAwait(false);
        }
        var roots = CompileRoots.Detect(cwd, parsed.Source, Env);
        var call = new CFamilyCall
        {
            Compiler = compiler,
            Args = args,
            ExpandedArgs = expanded,
            Parsed = parsed,
            Environment = environment,
            Roots = roots,
            Outputs = new CompileOutputs(parsed, cwd),
        };
        return await new CFamilyCompile(call, settings, session).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the compiler as it was called (with a build script's maps, in its run) and reports the call with the verdict's reason.</summary>
    public static async Task<int> PassThroughAsync(
        string compiler, IReadOnlyList<string> args, DaemonSession? session, WrapperSettings settings, CompileClassification verdict, string source, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int exitCode;
        try
        {
            exitCode = ChildProcess.Run(compiler, [.. args, .. CompilerMasquerade.MapFlags(env)], quiet: false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"cachefarm: {compiler}: {e.Message}").ConfigureAwait(false);
            return 127;
        }
        var record = new CompileRecord
        {
            Outcome = verdict.Kind == CompileKind.NotCompilation ? CompileOutcome.NotCompilation : CompileOutcome.NotCacheable,
            Reason = verdict.Reason,
            Language = CFamilyCompile.Language,
            CrateName = Path.GetFileName(source),
            CompileUs = CompileReporter.Microseconds(clock.Elapsed),
            TotalUs = CompileReporter.Microseconds(clock.Elapsed),
            CompileFailed = exitCode != 0,
        };
        await CompileReporter.ReportAsync(session, settings, record, "", Unit(source, null), null, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>How the log names a C or C++ call: <c>cc:</c> and the source, relative to the roots when they are known.</summary>
    public static string Unit(string source, CheckoutRoots? roots) =>
        "cc:" + (roots is null || source.Length == 0 ? source : roots.Normalize(CheckoutRoots.Absolute(source, roots.WorkingDirectory)).Replace('\u0001', '$'));
}
