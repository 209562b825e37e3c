using CacheFarm.Client.Tests.Support;

namespace CacheFarm.Client.Tests.Rustc;

public sealed class CacheKeyTests
{
    private static async Task AssertSameKeys(Action<KeyScenario> change)
    {
        using var before = new KeyScenario();
        using var after = new KeyScenario();
        change(after);
        Assert.Equal(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
        Assert.Equal(await before.EntryKeyAsync(), await after.EntryKeyAsync());
    }

    private static async Task AssertFirstLevelKeyChanges(Action<KeyScenario> change)
    {
        using var before = new KeyScenario();
        using var after = new KeyScenario();
        change(after);
        Assert.NotEqual(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
    }

    private static async Task AssertOnlyEntryKeyChanges(Action<KeyScenario> change)
    {
        using var before = new KeyScenario();
        using var after = new KeyScenario();
        change(after);
        Assert.Equal(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
        Assert.NotEqual(await before.EntryKeyAsync(), await after.EntryKeyAsync());
    }

    [Fact]
    public async Task Is_the_same_for_a_checkout_at_another_path()
    {
        using var a = new KeyScenario("checkout-one");
        using var b = new KeyScenario("somewhere/else/entirely");

        Assert.Equal(await a.FirstLevelKeyAsync(), await b.FirstLevelKeyAsync());
        Assert.Equal(await a.EntryKeyAsync(), await b.EntryKeyAsync());
    }

    [Fact]
    public async Task Depends_on_the_checkout_path_when_remapping_is_off()
    {
        using var a = new KeyScenario("one") { RemapPaths = false };
        using var b = new KeyScenario("two") { RemapPaths = false };

        Assert.NotEqual(await a.FirstLevelKeyAsync(), await b.FirstLevelKeyAsync());
    }

    [Theory]
    [InlineData("CARGO_MAKEFLAGS", "-j8 --jobserver-fds=3,4 --jobserver-auth=3,4")]
    [InlineData("CARGO_BUILD_JOBS", "8")]
    [InlineData("CARGO_REGISTRIES_MINE_TOKEN", "secret")]
    [InlineData("CARGO_TERM_COLOR", "always")]
    [InlineData("RUST_LOG", "debug")]
    public Task Ignores_cargo_makeflags_jobs_and_registry_settings(string name, string value) =>
        AssertSameKeys(s => s.Environment[name] = value);

    [Fact]
    public Task Ignores_the_order_of_cfg_arguments() => AssertSameKeys(s =>
    {
        s.Replace("feature=\"a\"", "TMP");
        s.Replace("feature=\"b\"", "feature=\"a\"");
        s.Replace("TMP", "feature=\"b\"");
    });

    [Fact]
    public Task Ignores_diagnostic_width() => AssertSameKeys(s => s.Replace("--diagnostic-width=100", "--diagnostic-width=240"));

    [Fact]
    public Task Ignores_color() => AssertSameKeys(s => s.Replace("always", "never"));

    [Fact]
    public Task Names_extern_crates_by_content_not_path() => AssertSameKeys(s =>
    {
        s.Write("elsewhere/libdep-1.rlib", "dep rlib v1");
        s.Replace("dep=" + s.Root + "/target/debug/deps/libdep-1.rlib", "dep=" + s.Root + "/elsewhere/libdep-1.rlib");
    });

    [Fact]
    public Task Changes_with_a_cfg() => AssertFirstLevelKeyChanges(s => s.Replace("feature=\"b\"", "feature=\"c\""));

    [Fact]
    public Task Changes_with_a_codegen_option() => AssertFirstLevelKeyChanges(s => s.Replace("opt-level=0", "opt-level=1"));

    [Fact]
    public Task Changes_with_the_edition() => AssertFirstLevelKeyChanges(s => s.Replace("--edition=2021", "--edition=2018"));

    [Fact]
    public Task Changes_with_check_cfg() => AssertFirstLevelKeyChanges(s => s.Replace("cfg(feature, values(\"a\", \"b\"))", "cfg(feature, values(\"a\"))"));

    [Fact]
    public Task Changes_with_the_crate_type() => AssertFirstLevelKeyChanges(s => s.Replace("lib", "rlib"));

    [Fact]
    public Task Changes_with_the_target() => AssertFirstLevelKeyChanges(s => s.Args.AddRange(["--target", "wasm32-unknown-unknown"]));

    private static KeyScenario WithCustomTarget(string specDirectory, string spec)
    {
        var scenario = new KeyScenario();
        scenario.Write(specDirectory + "/my-board.json", spec);
        scenario.Environment["RUST_TARGET_PATH"] = scenario.Root + "/" + specDirectory;
        scenario.Args.AddRange(["--target", "my-board"]);
        return scenario;
    }

    [Fact]
    public async Task Changes_with_the_content_of_a_target_spec_found_through_RUST_TARGET_PATH()
    {
        using var before = WithCustomTarget("specs", "{\"llvm-target\": \"thumbv7em-none-eabi\"}");
        using var after = WithCustomTarget("specs", "{\"llvm-target\": \"thumbv7em-none-eabihf\"}");

        Assert.NotEqual(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
    }

    [Fact]
    public async Task Names_a_target_spec_found_through_RUST_TARGET_PATH_by_content_not_directory()
    {
        using var before = WithCustomTarget("specs", "{\"llvm-target\": \"thumbv7em-none-eabi\"}");
        using var after = WithCustomTarget("other/specs", "{\"llvm-target\": \"thumbv7em-none-eabi\"}");

        Assert.Equal(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
    }

    [Fact]
    public async Task Changes_when_the_linker_program_that_fuse_ld_picks_changes_even_with_the_driver_remembered()
    {
        using var scenario = new KeyScenario();
        scenario.Replace("lib", "bin");
        scenario.Write("tools/ld.fake", "#!/bin/sh\n# fake linker v1\n");
        File.SetUnixFileMode(Path.Combine(scenario.Root, "tools/ld.fake"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        scenario.Environment["PATH"] = scenario.Root + "/tools:" + RustTools.SearchPath;
        scenario.Args.AddRange(["-C", "link-arg=-fuse-ld=fake"]);
        var before = await scenario.FirstLevelKeyAsync();

        scenario.Write("tools/ld.fake", "#!/bin/sh\n# fake linker v2, a new release\n");

        Assert.NotEqual(before, await scenario.FirstLevelKeyAsync());
    }

    [Fact]
    public async Task Changes_with_the_linker_program_ld_path_names()
    {
        using var scenario = new KeyScenario();
        scenario.Replace("lib", "bin");
        scenario.Write("tools/my-ld", "linker v1");
        scenario.Args.AddRange(["-C", "link-arg=--ld-path=" + scenario.Root + "/tools/my-ld"]);
        var before = await scenario.FirstLevelKeyAsync();

        scenario.Write("tools/my-ld", "linker v2, longer");

        Assert.NotEqual(before, await scenario.FirstLevelKeyAsync());
    }

    [Theory]
    [InlineData("-Tmemory.x", "target/debug/build/genlib-2/out/memory.x")]
    [InlineData("-Wl,-T,memory.x", "target/debug/build/genlib-2/out/memory.x")]
    [InlineData("@link.rsp", "link.rsp")]
    [InlineData("-Wl,--version-script=exports.map", "exports.map")]
    [InlineData("-l:libextra.a", "target/debug/build/genlib-2/out/libextra.a")]
    public async Task Changes_with_the_content_of_a_file_a_link_argument_names(string linkArg, string file)
    {
        using var before = new KeyScenario();
        using var after = new KeyScenario();
        foreach (var (scenario, content) in new[] { (before, "version one"), (after, "version two") })
        {
            scenario.Write(file, content);
            scenario.Args.AddRange(["-C", "link-arg=" + linkArg]);
        }

        Assert.NotEqual(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
    }

    [Fact]
    public Task Changes_with_the_content_of_an_extern_crate() => AssertFirstLevelKeyChanges(s => s.Write("target/debug/deps/libdep-1.rlib", "dep rlib v2"));

    [Fact]
    public Task Changes_with_a_static_library_a_build_script_produced() => AssertFirstLevelKeyChanges(s => s.Write("target/debug/build/genlib-2/out/libnative.a", "!<arch>\nnative v2"));

    [Fact]
    public Task Changes_with_package_metadata_cargo_sets() => AssertFirstLevelKeyChanges(s => s.Environment["CARGO_PKG_VERSION"] = "0.2.0");

    [Fact]
    public Task Changes_with_rustc_bootstrap() => AssertFirstLevelKeyChanges(s => s.Environment["RUSTC_BOOTSTRAP"] = "1");

    [Fact]
    public async Task Changes_with_a_link_argument_of_a_binary()
    {
        using var before = new KeyScenario();
        using var after = new KeyScenario();
        before.Replace("lib", "bin");
        after.Replace("lib", "bin");

        after.Args.AddRange(["-C", "link-arg=-Wl,--as-needed"]);

        Assert.NotEqual(await before.FirstLevelKeyAsync(), await after.FirstLevelKeyAsync());
    }

    [Fact]
    public async Task Changes_for_a_binary_when_a_linked_library_changes()
    {
        using var v1 = new KeyScenario();
        using var v2 = new KeyScenario();
        foreach (var (s, content) in new[] { (v1, "lib v1"), (v2, "lib v2") })
        {
            s.Write("native/libfoo.a", "!<arch>\n" + content);
            s.Replace("lib", "bin");
            s.Args.AddRange(["-L", "native=" + s.Root + "/native", "-l", "static=foo"]);
        }

        Assert.NotEqual(await v1.FirstLevelKeyAsync(), await v2.FirstLevelKeyAsync());
    }

    [Fact]
    public Task Changes_the_entry_with_the_crate_source() => AssertOnlyEntryKeyChanges(s => s.Write("genlib/src/lib.rs", "pub fn changed() {}"));

    [Fact]
    public Task Changes_the_entry_with_an_included_file() => AssertOnlyEntryKeyChanges(s => s.Write("genlib/data/greeting.txt", "goodbye"));

    [Fact]
    public Task Changes_the_entry_with_a_file_the_build_script_wrote() => AssertOnlyEntryKeyChanges(s => s.Write("target/debug/build/genlib-2/out/generated.rs", "pub const N: u32 = 2;"));

    [Fact]
    public Task Changes_the_entry_with_a_variable_read_by_env() => AssertOnlyEntryKeyChanges(s => s.Environment["FLAVOR"] = "chocolate");
}
