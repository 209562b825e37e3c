using System.Diagnostics;

namespace CacheFarm.TestSupport;

/// <summary>A finished program run: exit code, output and wall time.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    /// <summary>Runs a program with changes to the environment (null removes a variable); one overrunning the deadline is killed and fails the test.</summary>
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
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} ran past {Deadline.TotalMinutes} minutes");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    /// <summary>Fails with the program's output unless it exited 0.</summary>
    public ProcessRun Succeeded(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({ExitCode}):\n{Stdout}\n{Stderr}");
        }
        return this;
    }
}
