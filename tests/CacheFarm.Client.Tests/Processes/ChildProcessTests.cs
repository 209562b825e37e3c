using System.Text;
using CacheFarm.Client.Processes;

namespace CacheFarm.Client.Tests.Processes;

public sealed class ChildProcessTests
{
    [Fact]
    public void A_teed_child_returns_its_exit_code_and_both_streams_byte_for_byte()
    {
        using var sink = Sink.Open();
        var (exitCode, stdout, stderr) = ChildProcess.RunTeed("/bin/sh", ["-c", "printf 'out\\n{\"a\":1}'; printf 'err\\0x' >&2; exit 3"], null, sink.Descriptors);

        Assert.Equal(3, exitCode);
        Assert.Equal("out\n{\"a\":1}"u8.ToArray(), stdout);
        Assert.Equal("err\0x"u8.ToArray(), stderr);
    }

    // Both streams far past a pipe's 64 KiB buffer, the second written first: a runner that read one stream
    // to its end before the other would wait forever on a child blocked writing the other one.
    [Fact]
    public void A_child_filling_both_pipes_at_once_runs_to_its_end()
    {
        using var sink = Sink.Open();
        var (exitCode, stdout, stderr) = ChildProcess.RunTeed(
            "/bin/sh", ["-c", "head -c 3000000 /dev/zero | tr '\\0' e >&2; head -c 2000000 /dev/zero | tr '\\0' o"], null, sink.Descriptors);

        Assert.Equal(0, exitCode);
        Assert.Equal(2_000_000, stdout.Length);
        Assert.Equal(3_000_000, stderr.Length);
        Assert.All(new[] { stdout[0], stdout[^1] }, b => Assert.Equal((byte)'o', b));
    }

    [Fact]
    public void A_child_killed_by_a_signal_exits_with_128_plus_the_signal()
    {
        using var sink = Sink.Open();
        Assert.Equal(128 + 15, ChildProcess.RunTeed("/bin/sh", ["-c", "kill -TERM $$"], null, sink.Descriptors).ExitCode);
        Assert.Equal(128 + 9, ChildProcess.Run("/bin/sh", ["-c", "kill -KILL $$"], quiet: true));
    }

    // The .NET runtime ignores SIGPIPE and an ignored signal survives exec: rustc and the linkers it runs must
    // start with the defaults, as from a shell.
    [Fact]
    public void A_child_starts_with_default_SIGPIPE_handling_no_blocked_signals_and_the_given_environment()
    {
        using var sink = Sink.Open();
        var (_, stdout, _) = ChildProcess.RunTeed(
            "/bin/sh", ["-c", "grep -E '^(SigIgn|SigBlk)' /proc/self/status; echo \"X=$CACHEFARM_TEST_VALUE\""],
            new Dictionary<string, string> { ["CACHEFARM_TEST_VALUE"] = "given" }, sink.Descriptors);
        var lines = Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(':', '=')[0], l => l.Split(':', '=')[1].Trim());

        const ulong sigPipe = 1UL << (13 - 1);
        Assert.Equal(0UL, Convert.ToUInt64(lines["SigIgn"], 16) & sigPipe);
        Assert.Equal(0UL, Convert.ToUInt64(lines["SigBlk"], 16));
        Assert.Equal("given", lines["X"]);
    }

    [Fact]
    public void A_program_that_cannot_be_started_is_an_IOException()
    {
        using var sink = Sink.Open();
        Assert.Throws<IOException>(() => ChildProcess.RunTeed("/nonexistent/rustc", [], null, sink.Descriptors));
    }

    // Forwarded output goes to /dev/null here, not into the test run's own output.
    private sealed class Sink : IDisposable
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;

        private Sink(Microsoft.Win32.SafeHandles.SafeFileHandle handle) => _handle = handle;

        public (int, int) Descriptors => ((int)_handle.DangerousGetHandle(), (int)_handle.DangerousGetHandle());

        public static Sink Open() => new(File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write));

        public void Dispose() => _handle.Dispose();
    }
}
