using CacheFarm.Client.CFamily;
using CacheFarm.Client.Linker;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests;

/// <summary>How a real link command becomes a shadow link, including rustc's response files (used when a command is too long for the OS).</summary>
public sealed class LinkTrialArgumentsTests : IDisposable
{
    private readonly TempDirectory _temp = new("cf-trial");

    [Fact]
    public void A_shadow_link_reads_rustcs_response_file_and_swaps_only_the_linker_selection_and_the_output()
    {
        var responseFile = _temp.Combine("linker-arguments");
        // rustc escapes whitespace and backslashes with a backslash, one argument per line.
        File.WriteAllText(responseFile, "-m64\n/tmp/with\\ space/symbols.o\n-B/sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld\n-fuse-ld=lld\n-o\n/work/target/debug/deps/app-1234\n-nodefaultlibs\n");

        var shadow = LinkTrialArguments.Build(["@" + responseFile, "-Wl,--as-needed"], ["-fuse-ld=mold"], "/scratch/shadow.out", _temp.Combine("shadow.args"));

        Assert.Equal(["-m64", "/tmp/with space/symbols.o", "-o", "/scratch/shadow.out", "-nodefaultlibs", "-Wl,--as-needed", "-fuse-ld=mold"], shadow);
    }

    [Fact]
    public void A_shadow_link_too_long_for_a_command_line_goes_through_a_response_file_the_driver_reads_back()
    {
        var objects = Enumerable.Range(0, 3000).Select(i => $"/tmp/a dir/object-{i:D5}.rcgu.o").ToList();
        var responseFile = _temp.Combine("shadow.args");

        var shadow = LinkTrialArguments.Build([.. objects, "-o", "/work/app"], ["-B/x/gcc-ld", "-fuse-ld=lld"], "/scratch/out", responseFile);

        Assert.Equal(["@" + responseFile], shadow);
        Assert.Equal([.. objects, "-o", "/scratch/out", "-B/x/gcc-ld", "-fuse-ld=lld"], GccResponseFile.Expand(shadow!));
    }

    [Fact]
    public void A_link_without_an_output_gets_no_shadow_link()
    {
        Assert.Null(LinkTrialArguments.Build(["-m64", "main.o"], ["-fuse-ld=mold"], "/scratch/out", _temp.Combine("x.args")));
    }

    public void Dispose() => _temp.Dispose();
}
