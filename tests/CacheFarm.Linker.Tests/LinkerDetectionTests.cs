using CacheFarm.Client.Linker;
using CacheFarm.Linker.Tests.Support;
using CacheFarm.TestSupport;

namespace CacheFarm.Linker.Tests;

/// <summary>Detection against fake PATHs holding stub linkers (shell scripts that log their calls and exec the real linker) and the real cc.</summary>
public sealed class LinkerDetectionTests : IDisposable
{
    private readonly TempDirectory _temp = new("cf-detect");

    [Fact]
    public async Task Detection_finds_stub_linkers_on_a_fake_path_with_their_versions_and_the_binary_cc_runs_for_each()
    {
        var stubs = StubsForAllLinkers("stubs", "9.9.9");

        var inventory = await LinkerDetector.DetectAsync(stubs.PathVariable, _temp.Path, CancellationToken.None);

        foreach (var (name, binary, driverBinary, version) in new[]
        {
            ("mold", "mold", "ld.mold", "mold 9.9.9-stub (compatible with GNU ld)"),
            ("lld", "ld.lld", "ld.lld", "Stub LLD 9.9.9 (compatible with GNU linkers)"),
            ("gold", "ld.gold", "ld.gold", "GNU gold (stub 9.9.9) 1.16"),
            ("bfd", "ld.bfd", "ld.bfd", "GNU ld (stub 9.9.9) 2.40"),
        })
        {
            var found = inventory.Find(name);
            Assert.NotNull(found);
            Assert.Equal(Path.Combine(stubs.Directory, binary), found.Binary.Path);
            Assert.Equal(version, found.Version);
            Assert.True(found.DriverAccepts, $"cc -fuse-ld={name} was refused");
            Assert.Equal(Path.Combine(stubs.Directory, driverBinary), found.DriverUses);
            // cc really ran the stub for -fuse-ld=NAME: detection probes the driver instead of trusting its version.
            Assert.Contains(stubs.Calls, call => call.StartsWith(driverBinary + " ", StringComparison.Ordinal) && call.Contains("--version", StringComparison.Ordinal));
        }
        Assert.NotNull(inventory.Driver);
        Assert.Equal("gcc", inventory.Driver.Family);
        Assert.True(inventory.Driver.VersionSupportsMold, $"gcc {inventory.Driver.Version} is 12.1 or later");
    }

    [Fact]
    public async Task A_cc_that_rejects_fuse_ld_mold_leaves_mold_detected_but_unusable_and_a_forced_mold_falls_back_saying_why()
    {
        var stubs = StubsForAllLinkers("old-gcc", "9.9.9");
        var cc = Path.Combine(stubs.Directory, "cc");
        // gcc before 12.1: knows -fuse-ld=bfd|gold|lld but not mold.
        File.WriteAllText(cc, """
            #!/bin/sh
            for arg in "$@"; do
              if [ "$arg" = "-fuse-ld=mold" ]; then echo "cc: error: unrecognized command-line option '-fuse-ld=mold'" >&2; exit 1; fi
              if [ "$arg" = "-v" ]; then echo "gcc version 11.2.0 (stub)" >&2; exit 0; fi
            done
            exec /usr/bin/cc "$@"

            """);
        File.SetUnixFileMode(cc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var inventory = await LinkerDetector.DetectAsync(stubs.PathVariable, _temp.Path, CancellationToken.None);

        Assert.Equal("11.2.0", inventory.Driver!.Version);
        Assert.False(inventory.Driver.VersionSupportsMold);
        Assert.False(inventory.Find("mold")!.DriverAccepts);
        Assert.True(inventory.Find("lld")!.DriverAccepts);
        var toolchain = new ToolchainLinker { Sysroot = "/nonexistent" };
        var available = LinkerCandidates.Available(inventory, toolchain);
        Assert.DoesNotContain(available, c => c.Name == "mold");
        var forced = LinkerSelector.Choose(LinkerPolicy.Parse("mold"), available, available, new LinkerLearning());
        Assert.Equal("default", forced.Candidate.Name);
        Assert.Contains("cannot use mold", forced.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detection_is_remembered_until_PATH_a_PATH_directory_or_a_linker_binary_changes()
    {
        var stubs = StubsForAllLinkers("remembered", "1.0");
        var data = _temp.Combine("data");
        var path = stubs.PathVariable;
        // Each detection runs the stubs (--version, cc -fuse-ld=…): their call log tells whether detection ran again.
        async Task<(LinkerInventory Inventory, bool Detected)> Load()
        {
            var before = stubs.Calls.Length;
            var inventory = await LinkerInventoryCache.LoadAsync(data, path, _temp.Path, null, forceDetection: false, CancellationToken.None);
            return (inventory, stubs.Calls.Length > before);
        }

        Assert.True((await Load()).Detected);
        Assert.True(File.Exists(Path.Combine(data, "linkers.json")));
        Assert.False((await Load()).Detected);

        stubs.Add("mold", "mold 2.0.0-upgraded (compatible with GNU ld)", "/usr/bin/mold");
        var upgraded = await Load();
        Assert.True(upgraded.Detected, "a changed linker binary was not probed again");
        Assert.Equal("mold 2.0.0-upgraded (compatible with GNU ld)", upgraded.Inventory.Find("mold")!.Version);
        Assert.False((await Load()).Detected);

        path = stubs.Directory + ":" + _temp.Path + ":" + RustToolchain.SearchPath;
        var moved = await Load();
        Assert.True(moved.Detected, "a changed PATH did not cause detection");
        Assert.Equal(path, moved.Inventory.PathVariable);
        Assert.False((await Load()).Detected);

        // Removing (or installing) a linker changes its PATH directory's stamp.
        File.Delete(Path.Combine(stubs.Directory, "ld.gold"));
        var removed = await Load();
        Assert.True(removed.Detected, "a linker removed from a PATH directory went unnoticed");
        Assert.Equal("/usr/bin/ld.gold", removed.Inventory.Find("gold")!.Binary.Path);
    }

    private LinkerStubs StubsForAllLinkers(string name, string version)
    {
        var stubs = new LinkerStubs(_temp.Combine(name));
        var mold = RustToolchain.Require("mold", "mold");
        stubs.Add("mold", $"mold {version}-stub (compatible with GNU ld)", mold);
        stubs.Add("ld.mold", $"mold {version}-stub (compatible with GNU ld)", mold);
        stubs.Add("ld.lld", $"Stub LLD {version} (compatible with GNU linkers)", RustToolchain.Require("ld.lld", "lld"));
        stubs.Add("ld.gold", $"GNU gold (stub {version}) 1.16", RustToolchain.Require("ld.gold", "binutils"));
        stubs.Add("ld.bfd", $"GNU ld (stub {version}) 2.40", RustToolchain.Require("ld.bfd", "binutils"));
        return stubs;
    }

    public void Dispose() => _temp.Dispose();
}
