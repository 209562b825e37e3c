using CacheFarm.Client.CachedCommands;
using CacheFarm.Client.Connection;
using CacheFarm.Client.Tests.Rustc;
using CacheFarm.Client.Tests.Support;
using CacheFarm.Protos.V1;
using CacheFarm.Protos.Wire;

namespace CacheFarm.Client.Tests.CachedCommands;

public sealed class SafeRestoreTests
{
    [Theory]
    [InlineData("../../x")]
    [InlineData("deps/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\b")]
    [InlineData("./libx.rlib")]
    [InlineData("a//b")]
    [InlineData("")]
    [InlineData("x\u0000y")]
    [InlineData("..")]
    public void PathsThatCouldLeaveTheOutputDirectoryAreRefused(string path)
    {
        using var dir = new TempDirectory("cf-safe");
        Assert.Null(SafeOutputPath.Resolve(dir.Path, path));
    }

    [Theory]
    [InlineData("libgreeter-1234.rlib")]
    [InlineData("deps/libgreeter-1234.rmeta")]
    [InlineData("．．/lookalike")]
    public void OrdinaryRelativePathsResolveInsideTheOutputDirectory(string path)
    {
        using var dir = new TempDirectory("cf-safe");
        var target = SafeOutputPath.Resolve(dir.Path, path);
        Assert.NotNull(target);
        Assert.StartsWith(dir.Path + "/", target);
    }

    [Fact]
    public void ADirectorySymlinkLeadingOutOfTheOutputDirectoryIsRefused()
    {
        using var dir = new TempDirectory("cf-safe");
        using var outside = new TempDirectory("cf-outside");
        Directory.CreateSymbolicLink(dir.Combine("deps"), outside.Path);
        Assert.Null(SafeOutputPath.Resolve(dir.Path, "deps/libx.rlib"));
    }

    [Fact]
    public async Task PoisonedEntryFromTheDaemonIsRefusedAndNothingIsWrittenOutsideTheTargetDirectory()
    {
        await using var daemon = await WrapperDaemon.StartAsync();
        using var scenario = new KeyScenario();
        var call = await scenario.CallAsync();
        using var client = new CacheClient(DaemonEndpoint.FromEnvironment(name => daemon.Environment.TryGetValue(name, out var v) ? v : null));
        var payload = "#!/bin/sh\necho pwned\n"u8.ToArray();
        var digest = ContentDigest.Of(payload);
        await client.UploadAsync(digest, new MemoryStream(payload), CancellationToken.None);
        // What a compromised daemon or tier could serve: the real daemon refuses to store it, so it is built here.
        var entry = new Entry { ExitCode = 0 };
        entry.Outputs.Add(new OutputFile { Path = "libgenlib-0123.rlib", Digest = digest.ToProto() });
        entry.Outputs.Add(new OutputFile { Path = "../../x", Digest = digest.ToProto(), Executable = true });

        var escaped = Path.GetFullPath(Path.Combine(call.OutputDirectory, "../../x"));
        await Assert.ThrowsAsync<UnsafeOutputPathException>(() => EntryRestorer.RestoreAsync(client, entry, call.OutputDirectory, call.Roots, call.Digests, CancellationToken.None));
        Assert.False(File.Exists(escaped), $"{escaped} was written");
        Assert.False(File.Exists(Path.Combine(call.OutputDirectory, "libgenlib-0123.rlib")), "a refused entry must restore nothing");
    }
}
