using System.Diagnostics;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Processes;

namespace CacheFarm.Client.Rustc;

/// <summary>Runs the real rustc: either with this process's stdio, or capturing stdout and stderr while still streaming them live.</summary>
public static class RustcRunner
{
    /// <summary>Runs rustc with the wrapper's own stdin, stdout and stderr; returns its exit code.</summary>
    public static int Passthrough(string rustc, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment) =>
        ChildProcess.Run(rustc, args, quiet: false, environment);

    /// <summary>
    /// Runs rustc and keeps a copy of everything it prints. Output is forwarded as it arrives so cargo sees the
    /// JSON "artifact" notices on time and can start dependent crates on the .rmeta (pipelining).
    /// </summary>
    public static CompileResult RunCaptured(string rustc, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, Action? whileRunning = null)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = ChildProcess.RunTeed(rustc, args, environment, whileRunning: whileRunning);
        return new CompileResult(exitCode, stdout, stderr, clock.Elapsed);
    }
}
