using System.Diagnostics;

namespace CacheFarm.Client.Wrapper;

/// <summary>Runs the real rustc: either with this process's stdio, or capturing stdout and stderr while still streaming them live.</summary>
public static class RustcRunner
{
    /// <summary>Runs rustc with the wrapper's own stdin, stdout and stderr; returns its exit code.</summary>
    public static async Task<int> PassthroughAsync(string rustc, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(rustc, args, environment, redirect: false)) ?? throw new InvalidOperationException($"could not start {rustc}");
        await WaitAsync(process, cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>
    /// Runs rustc and keeps a copy of everything it prints. Output is forwarded as it arrives so cargo sees the
    /// JSON "artifact" notices on time and can start dependent crates on the .rmeta (pipelining).
    /// </summary>
    public static async Task<CompileResult> RunCapturedAsync(string rustc, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(rustc, args, environment, redirect: true)) ?? throw new InvalidOperationException($"could not start {rustc}");
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await using var ownStdout = Console.OpenStandardOutput();
        await using var ownStderr = Console.OpenStandardError();
        var copyOut = Tee(process.StandardOutput.BaseStream, ownStdout, stdout);
        var copyErr = Tee(process.StandardError.BaseStream, ownStderr, stderr);
        await WaitAsync(process, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(copyOut, copyErr).ConfigureAwait(false);
        return new CompileResult(process.ExitCode, stdout.ToArray(), stderr.ToArray(), clock.Elapsed);
    }

    private static ProcessStartInfo StartInfo(string rustc, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, bool redirect)
    {
        var start = new ProcessStartInfo(rustc)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    // A cancelled wrapper (Ctrl-C) still waits for rustc, which got the same signal, so its exit code is reported.
    private static async Task WaitAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task Tee(Stream from, Stream live, MemoryStream copy)
    {
        var buffer = new byte[64 << 10];
        int read;
        while ((read = await from.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            copy.Write(buffer, 0, read);
            try
            {
                // Console streams write synchronously; their WriteAsync would only add a thread-pool hop.
                live.Write(buffer, 0, read);
            }
            catch (IOException)
            {
                // The reader went away (cargo was interrupted); keep draining so rustc is not blocked.
            }
        }
    }
}
