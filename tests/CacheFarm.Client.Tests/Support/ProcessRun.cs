using System.Diagnostics;

namespace CacheFarm.Client.Tests.Support;

/// <summary>Runs a program to completion with extra environment variables and collects its output.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ProcessRun(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }
}
