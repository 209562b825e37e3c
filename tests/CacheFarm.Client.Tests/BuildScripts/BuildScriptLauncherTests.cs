using CacheFarm.Client.BuildScripts;

namespace CacheFarm.Client.Tests.BuildScripts;

public sealed class BuildScriptLauncherTests
{
    [Fact]
    public void The_launcher_takes_the_binarys_name_and_leads_back_to_the_real_binary()
    {
        using var dir = new TempDirectory("cf-launcher");
        var binary = dir.Combine("build_script_build-0123abcd");
        File.WriteAllBytes(binary, [0x7f, (byte)'E', (byte)'L', (byte)'F']);

        Assert.True(BuildScriptLauncher.Install(binary, "/opt/cachefarm/bin/cachefarm"));

        Assert.Equal("#!/opt/cachefarm/bin/cachefarm --cachefarm-build-script:build_script_build-0123abcd\n", File.ReadAllText(binary));
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], File.ReadAllBytes(binary + BuildScriptLauncher.RealBinarySuffix));
        // The kernel passes the #! argument, then the path cargo ran (the hard link cargo made).
        string[] args = ["--cachefarm-build-script:build_script_build-0123abcd", dir.Combine("build-script-build")];
        Assert.True(BuildScriptLauncher.IsLauncherCall(args));
        Assert.Equal(binary + BuildScriptLauncher.RealBinarySuffix, BuildScriptLauncher.RealBinary(args));
    }

    [Fact]
    public void A_path_the_kernel_would_cut_leaves_the_binary_in_place()
    {
        using var dir = new TempDirectory("cf-launcher");
        var binary = dir.Combine("build_script_build-0123abcd");
        File.WriteAllBytes(binary, [1, 2, 3]);

        Assert.False(BuildScriptLauncher.Install(binary, "/" + new string('x', 300) + "/cachefarm"));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(binary));
        Assert.False(File.Exists(binary + BuildScriptLauncher.RealBinarySuffix));
    }
}
