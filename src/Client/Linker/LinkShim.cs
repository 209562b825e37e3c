using System.Diagnostics;
using System.Globalization;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Processes;

namespace CacheFarm.Client.Linker;

/// <summary>
/// <c>cachefarm</c> as rustc's linker (<c>-C linker=cachefarm</c>, set up by the wrapper): runs the real C driver with
/// rustc's arguments unchanged, times it, and appends the time to the wrapper's timings file. When asked, it also
/// links the same job with another linker into a scratch file (a shadow link) so auto can compare linkers on real
/// work. The real link's result is all rustc sees.
/// </summary>
public static class LinkShim
{
    /// <summary>True for a call from rustc: the wrapper's variables are set and the arguments are a linker's (options or an @file), not a compiler call or a command.</summary>
    public static bool IsShimCall(string[] args) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LinkShimEnvironment.Driver))
        && args.Length > 0
        && (args[0].StartsWith('-') || args[0].StartsWith('@'));

    public static int Run(string[] args)
    {
        var driver = Environment.GetEnvironmentVariable(LinkShimEnvironment.Driver)!;
        var times = Environment.GetEnvironmentVariable(LinkShimEnvironment.Times);
        var trial = Environment.GetEnvironmentVariable(LinkShimEnvironment.Trial);
        // The driver, and anything it runs, must not take itself for the shim.
        foreach (var name in LinkShimEnvironment.All)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        // The shadow link goes first or second at random, so neither linker gains from running after the other
        // (warm caches, a finished neighbour); on an oversubscribed machine it is skipped as an unfair (and costly) measurement.
        var shadow = !string.IsNullOrEmpty(trial) && !string.IsNullOrEmpty(times) && !RunQueue.Oversubscribed() ? trial.Split('\t') : null;
        var shadowFirst = shadow is not null && Random.Shared.Next(2) == 0;
        var lines = "";
        if (shadowFirst)
        {
            lines += ShadowLink(driver, args, shadow!, Path.GetDirectoryName(times)!);
        }
        var clock = Stopwatch.StartNew();
        int exitCode;
        try
        {
            exitCode = ChildProcess.Run(driver, args, quiet: false);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cachefarm link shim: cannot run {driver}: {e.Message}");
            return 127;
        }
        var linkUs = (long)clock.Elapsed.TotalMicroseconds;
        if (string.IsNullOrEmpty(times))
        {
            return exitCode;
        }
        // A shadow link measured before a failed real link compares with nothing.
        lines = Line("link", linkUs, exitCode) + (exitCode == 0 ? lines : "");
        if (shadow is not null && !shadowFirst && exitCode == 0)
        {
            lines += ShadowLink(driver, args, shadow, Path.GetDirectoryName(times)!);
        }
        AppendLog.Write(times, lines);
        return exitCode;
    }

    private static string ShadowLink(string driver, string[] args, string[] candidateArgs, string scratchDirectory)
    {
        var stem = Path.Combine(scratchDirectory, $"shadow-{Environment.ProcessId}-{Random.Shared.Next():x}");
        try
        {
            if (LinkTrialArguments.Build(args, candidateArgs, stem + ".out", stem + ".args") is not { } trialArgs)
            {
                return "";
            }
            var clock = Stopwatch.StartNew();
            var exitCode = ChildProcess.Run(driver, trialArgs, quiet: true);
            return Line("trial", (long)clock.Elapsed.TotalMicroseconds, exitCode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A shadow link is only a measurement: it never affects the real one.
            return "";
        }
        finally
        {
            File.Delete(stem + ".out");
            File.Delete(stem + ".args");
        }
    }

    private static string Line(string kind, long microseconds, int exitCode) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}\t{microseconds}\t{exitCode}\n");
}
