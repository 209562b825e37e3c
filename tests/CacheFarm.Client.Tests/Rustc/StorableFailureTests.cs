using System.Text;
using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Rustc;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class StorableFailureTests
{
    private static CompileResult Result(int exitCode, string stderr) => new(exitCode, [], Encoding.UTF8.GetBytes(stderr), TimeSpan.Zero);

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "error[E0308]: mismatched types\n")]
    [InlineData(1, "{\"$message_type\":\"diagnostic\",\"message\":\"cannot find value `x`\",\"code\":{\"code\":\"E0425\",\"explanation\":null},\"level\":\"error\"}\n")]
    [InlineData(1, "error: linking with `cc` failed: exit status: 1\n  = note: /usr/bin/ld: undefined reference to `missing'\n")]
    public void Successes_coded_compile_errors_and_link_errors_are_stored(int exitCode, string stderr) =>
        Assert.Null(StorableFailure.WhyNotStored(Result(exitCode, stderr)));

    [Theory]
    [InlineData(101, "error: internal compiler error: unexpected panic\n")]
    [InlineData(-9, "")]
    [InlineData(1, "error: linking with `cc` failed: exit status: 1\n  = note: collect2: fatal error: ld terminated with signal 9 [Killed]\n")]
    [InlineData(1, "error: linking with `cc` failed: signal: 9 (SIGKILL)\n")]
    [InlineData(1, "error: failed to write output: No space left on device (os error 28)\n")]
    [InlineData(1, "error[E0463]: can't find crate for `std`\nerror: could not create temp dir: Too many open files\n")]
    [InlineData(1, "LLVM ERROR: out of memory\n")]
    [InlineData(1, "error: the option `Z` is only accepted on the nightly compiler\n")]
    public void Crashes_signals_resources_and_uncoded_failures_are_not_stored(int exitCode, string stderr) =>
        Assert.NotNull(StorableFailure.WhyNotStored(Result(exitCode, stderr)));
}
